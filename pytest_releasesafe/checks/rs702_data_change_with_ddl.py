"""A data change in the same transaction as lock-taking DDL on an existing table."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.locking import (
    is_bulk_data_change,
    lock_blocks,
    lock_held,
    lock_mode,
    transactions,
)
from pytest_releasesafe.checks.statement_parts import backfill_values
from pytest_releasesafe.model import Migration, Operation

CODE = "RS702"


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    if next(ctx.ops(migration, m.DATA_CHANGE), None) is None:
        return
    for transaction in transactions(ctx.ops(migration)):
        ddl_before: Operation | None = None
        for position, op in enumerate(transaction):
            if ddl_before is None and lock_mode(op, ctx.dialect):
                ddl_before = op
            if op.kind != m.DATA_CHANGE or not is_bulk_data_change(op):
                continue
            # DDL before the data change holds its lock while the data change runs. DDL after it
            # matters only on the same table: the data change's row locks are then held while the DDL
            # queues for its table lock, and everything queues behind that.
            ddl = ddl_before or next(
                (
                    later
                    for later in transaction[position + 1 :]
                    if lock_mode(later, ctx.dialect) and _same_table(op, later)
                ),
                None,
            )
            if ddl is not None:
                mode = lock_mode(ddl, ctx.dialect) or ""
                ddl_table = ddl.qualified_table or ddl.index or "the table"
                # DDL after the data change: the table stays usable while the data change runs; only
                # the rows it changed stay locked, through the DDL's wait for and hold of its lock.
                after = ddl_before is None
                yield hit(
                    op,
                    severity="warning" if after else None,
                    variant="ddl_after" if after else None,
                    statement=str(op.get("statement") or "UPDATE"),
                    table=op.qualified_table,
                    table_name=op.table,
                    **backfill_values(op, ctx.dialect),
                    ddl_table=ddl_table,
                    ddl_line=ddl.location.line,
                    lock=mode,
                    lock_held=lock_held(mode),
                    blocked=lock_blocks(mode, ddl_table),
                )


def _same_table(a: Operation, b: Operation) -> bool:
    return (
        bool(a.table and b.table) and (a.qualified_table or "").lower() == (b.qualified_table or "").lower()
    )
