"""CREATE/DROP INDEX CONCURRENTLY (or REINDEX CONCURRENTLY) run inside a transaction."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS102"
KINDS = frozenset({m.CREATE_INDEX, m.DROP_INDEX, m.REINDEX})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.CREATE_INDEX, m.DROP_INDEX, m.REINDEX):
        if op.concurrently is True and op.in_transaction is True:
            statement = {m.CREATE_INDEX: "CREATE INDEX", m.DROP_INDEX: "DROP INDEX", m.REINDEX: "REINDEX"}[
                op.kind
            ]
            yield hit(op, statement=f"{statement} CONCURRENTLY", index=op.index or op.object_name)
