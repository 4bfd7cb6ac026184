"""UPDATE / DELETE / INSERT ... SELECT over a whole table inside a schema migration."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.locking import is_bulk_data_change, lock_mode, transactions
from pytest_releasesafe.checks.statement_parts import backfill_values
from pytest_releasesafe.model import Migration

CODE = "RS701"


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    if next(ctx.ops(migration, m.DATA_CHANGE), None) is None:
        return
    for transaction in transactions(ctx.ops(migration)):
        if ctx.dialect == "postgresql" and any(lock_mode(op, ctx.dialect) for op in transaction):
            continue  # RS702 judges these (on MySQL, DDL commits at once: no shared transaction)
        for op in transaction:
            if op.kind != m.DATA_CHANGE or not is_bulk_data_change(op) or op.get("batched") is True:
                continue
            if op.table_is_new:
                continue  # the table was created a few statements up (or by an unreleased migration): empty
            statement = str(op.get("statement") or "UPDATE")
            # With a WHERE clause the number of rows is unknown: worth a look, not a failure.
            severity = "info" if op.get("has_where") is True else None
            yield hit(
                op,
                severity=severity,
                statement=statement,
                table=op.qualified_table,
                table_name=op.table,
                **backfill_values(op, ctx.dialect),
                scope=_scope(op),
            )


def _scope(op: m.Operation) -> str:
    if op.get("has_where") is True:
        return "every row matching its WHERE clause"
    if str(op.get("statement")).upper() == "INSERT SELECT":
        return "every row the SELECT returns"
    return "every row of the table"
