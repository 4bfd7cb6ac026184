"""SET NOT NULL on a column of an existing table: a full scan under ACCESS EXCLUSIVE."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS302"
KINDS = frozenset(
    {m.ADD_CONSTRAINT, m.SET_NOT_NULL, m.VALIDATE_CONSTRAINT}
)  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    if next(ctx.ops(migration, m.SET_NOT_NULL), None) is None:
        return  # nothing to judge: skip the walk over every operation
    validated: list[
        m.Operation
    ] = []  # CHECK constraints validated (or added valid) earlier in this migration
    added: dict[str, m.Operation] = {}  # CHECK constraints added NOT VALID, by name: VALIDATE proves them
    for op in ctx.ops(migration, m.VALIDATE_CONSTRAINT, m.ADD_CONSTRAINT, m.SET_NOT_NULL):
        if op.kind == m.ADD_CONSTRAINT and op.constraint_type == "check" and op.constraint:
            added[op.constraint.lower()] = op
        if op.kind == m.VALIDATE_CONSTRAINT or (
            op.kind == m.ADD_CONSTRAINT and op.constraint_type == "check" and op.not_valid is False
        ):
            validated.append(op)
            if op.kind == m.VALIDATE_CONSTRAINT and (op.constraint or "").lower() in added:
                validated.append(added[(op.constraint or "").lower()])  # its CHECK text, now validated
            continue
        if op.kind != m.SET_NOT_NULL or op.table_is_new or op.get("existing_nullable") is False:
            continue  # existing_nullable=False: already NOT NULL, Postgres does not scan again
        if ctx.target_version >= 12 and _proved_by_check(op, validated):
            continue  # PG >= 12 uses a validated CHECK (col IS NOT NULL) and skips the scan
        yield hit(
            op, severity="warning" if op.nullable is None else None, check=f"{op.table}_{op.column}_not_null"
        )


def _proved_by_check(op: m.Operation, validated: list[m.Operation]) -> bool:
    column = (op.column or "").lower()
    for check in validated:
        if check.phase != op.phase or (check.table or "").lower() != (op.table or "").lower():
            continue
        if column and column in (check.constraint or "").lower():
            return True  # the recipe's helper constraint is named after its column
        if column and re.search(rf'\b{re.escape(column)}"?\s+is\s+not\s+null\b', (check.sql or "").lower()):
            return True
    return False
