"""A unique index, unique constraint or primary key built over rows that already exist."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.statement_parts import default_name, known_columns
from pytest_releasesafe.model import Migration, Operation

CODE = "RS105"
# The engine skips this check when none occur (drops: what may precede an ADD in its statement).
KINDS = frozenset({m.ADD_CONSTRAINT, m.CREATE_INDEX, m.DROP_CONSTRAINT, m.DROP_INDEX})


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    statement_start: dict[tuple[int, int], Operation] = {}
    for op in ctx.ops(migration, m.ADD_CONSTRAINT, m.CREATE_INDEX, m.DROP_CONSTRAINT, m.DROP_INDEX):
        statement_start.setdefault((op.location.line, op.location.column), op)
    for op in ctx.ops(migration, m.CREATE_INDEX, m.ADD_CONSTRAINT):
        if op.table_is_new:
            continue
        # Before the statement (`DROP CONSTRAINT k, ADD PRIMARY KEY` keeps rows unique throughout).
        before = ctx.schema_before(statement_start.get((op.location.line, op.location.column), op))
        if before is not None and before.unique_on(op.table, op.columns):
            continue  # a key on these columns already holds: the rows cannot have duplicates
        if op.kind == m.CREATE_INDEX and not op.unique:
            continue
        if op.kind == m.ADD_CONSTRAINT and (
            op.constraint_type not in ("unique", "primary_key") or op.get("using_index")
        ):
            continue  # USING INDEX reuses an index that already proved the rows unique
        columns = ", ".join(known_columns(op) or ()) or None
        kind = (
            "primary key"
            if op.constraint_type == "primary_key"
            else "unique index"
            if op.kind == m.CREATE_INDEX
            else "unique constraint"
        )
        unnamed = (
            default_name(op, "pkey", with_columns=False) if kind == "primary key" else default_name(op, "key")
        )
        yield hit(op, kind=kind, columns=columns, name=op.index or op.constraint or unnamed)
