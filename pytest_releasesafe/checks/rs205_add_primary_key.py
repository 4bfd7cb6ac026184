"""ADD PRIMARY KEY on an existing table: index build (and NOT NULL scan) under ACCESS EXCLUSIVE."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.statement_parts import default_name
from pytest_releasesafe.model import Migration, Operation

CODE = "RS205"
KINDS = frozenset({m.ADD_COLUMN, m.ADD_CONSTRAINT, m.DROP_CONSTRAINT})  # skipped when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    dropped_keys: dict[tuple[str, str | None], str] = {}  # (phase, table) -> primary key dropped earlier
    for op in ctx.ops(migration, m.ADD_CONSTRAINT, m.ADD_COLUMN, m.DROP_CONSTRAINT):
        if op.kind == m.DROP_CONSTRAINT:
            if op.constraint and _drops_primary_key(ctx, op):
                dropped_keys[(op.phase, op.table)] = op.constraint
            continue
        if op.table_is_new:
            continue
        replaced = _current_key(ctx, op) or dropped_keys.get((op.phase, op.table))
        if op.kind == m.ADD_COLUMN:
            if op.get("primary_key"):  # ADD COLUMN ... PRIMARY KEY builds the key's index under the same lock
                yield _hit(op, default_name(op, "pkey", with_columns=False), replaced)
            continue
        if op.constraint_type != "primary_key" or op.get("using_index"):
            continue
        yield _hit(op, op.constraint or default_name(op, "pkey", with_columns=False), replaced)


def _hit(op: Operation, constraint: str | None, replaced: str | None) -> Hit:
    # A table has one primary key: attaching the new one must drop the old one in the same ALTER,
    # or the recipe fails with "multiple primary keys for table are not allowed".
    attach = constraint and f"ADD CONSTRAINT {constraint}"
    if attach and replaced:
        attach = f"DROP CONSTRAINT {replaced}, {attach}"
    return hit(op, constraint=constraint, index=constraint and f"{constraint}_idx", attach_key=attach)


def _current_key(ctx: CheckContext, op: Operation) -> str | None:
    table = ctx.table_before(op)
    current = table.primary_key() if table is not None else None
    if current is None:
        return None
    return current.name or default_name(op, "pkey", with_columns=False)  # inline keys: the default name


def _drops_primary_key(ctx: CheckContext, op: Operation) -> bool:
    if op.constraint_type == "primary_key":
        return True
    table = ctx.table_before(op)
    if table is None:  # no catalogue: Postgres's default key name
        return op.constraint == default_name(op, "pkey", with_columns=False)
    dropped = table.constraint(op.constraint)
    return dropped is not None and dropped.type == "primary_key"
