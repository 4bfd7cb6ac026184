"""A CHECK constraint added to an existing table and validated at once (no NOT VALID)."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.statement_parts import check_condition
from pytest_releasesafe.model import Migration, Operation

CODE = "RS202"
KINDS = frozenset({m.ADD_COLUMN, m.ADD_CONSTRAINT})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.ADD_CONSTRAINT, m.ADD_COLUMN):
        if op.table_is_new:
            continue
        if op.kind == m.ADD_COLUMN:
            # An inline CHECK cannot be NOT VALID and is checked against every row (measured on
            # Postgres 15: a full scan even when the new column is all NULL).
            if op.get("check"):
                yield hit(
                    op, constraint=f"{op.table}_{op.column}_check" if op.table else None, **_condition(op)
                )
            continue
        if op.constraint_type != "check" or op.not_valid is True:
            continue
        constraint = op.constraint or (f"{op.table}_check" if op.table else None)
        yield hit(
            op, severity="warning" if op.not_valid is None else None, constraint=constraint, **_condition(op)
        )


def _condition(op: Operation) -> dict[str, str | None]:
    condition = check_condition(op)
    return {"condition": condition, "condition_py": repr(condition) if condition else None}
