"""A data change in the same transaction as lock-taking DDL on an existing table."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.locking import is_bulk_data_change, lock_mode, transactions
from pytest_releasesafe.model import Migration

CODE = "RS702"


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    if next(ctx.ops(migration, m.DATA_CHANGE), None) is None:
        return
    for transaction in transactions(ctx.ops(migration)):
        ddl = next((op for op in transaction if lock_mode(op, ctx.dialect)), None)
        if ddl is None:
            continue
        for op in transaction:
            if op.kind == m.DATA_CHANGE and is_bulk_data_change(op):
                yield hit(
                    op,
                    statement=str(op.get("statement") or "UPDATE"),
                    table=op.qualified_table or "<table>",
                    table_name=op.table or "<table>",
                    ddl_table=ddl.qualified_table or ddl.index or "the table",
                    ddl_line=ddl.location.line,
                    lock=lock_mode(ddl, ctx.dialect),
                )
