"""ALTER TABLE ... DETACH PARTITION without CONCURRENTLY, or CONCURRENTLY inside a transaction."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS698"
KINDS = frozenset({m.ALTER_TABLE_OTHER})  # the engine skips this check when none occur

_LOCKS = (
    "takes an ACCESS EXCLUSIVE lock on {table} and {partition}: every read and write of every partition"
    " of {table} waits until the detach commits, and the detach itself first waits for every running"
    " query on {table}."
)
_IN_TRANSACTION = (
    "CONCURRENTLY runs inside a transaction block, where Postgres refuses it (ERROR: ALTER TABLE ..."
    " DETACH CONCURRENTLY cannot run inside a transaction block): the migration fails."
)


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.ALTER_TABLE_OTHER):
        if op.object_type != "partition" or op.table_is_new:
            continue
        table, partition = op.qualified_table or "the table", op.object_name or "the partition"
        if op.concurrently is not True:
            yield hit(op, partition=partition, problem=_LOCKS.format(table=table, partition=partition))
        elif op.in_transaction is True and "CONCURRENTLY" in (op.sql or "").upper():
            yield hit(op, partition=partition, problem=_IN_TRANSACTION)
