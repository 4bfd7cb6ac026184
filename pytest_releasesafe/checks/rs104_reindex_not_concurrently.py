"""REINDEX without CONCURRENTLY on an existing table or index."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS104"
KINDS = frozenset({m.REINDEX})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.REINDEX):
        if op.table_is_new or op.concurrently is True:
            continue
        kind = (op.object_type or "index").upper()
        target = f"{kind} {op.object_name or '<name>'}"
        yield hit(op, target=target, kind=kind, target_name=op.object_name)
