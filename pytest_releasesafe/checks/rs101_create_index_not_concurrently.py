"""CREATE INDEX without CONCURRENTLY on a table that already exists."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS101"
KINDS = frozenset({m.CREATE_INDEX})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.CREATE_INDEX):
        if op.table_is_new or op.concurrently is True:
            continue
        index = op.index
        if index is None and op.source == "sql" and op.table and op.columns:
            # `CREATE INDEX ON t (a)`: the name Postgres will give it. An Alembic name we could
            # not resolve stays unknown (shown as <index>) rather than made up.
            index = f"{op.table}_{'_'.join(op.columns)}_idx"
        # concurrently None: a **kwargs or computed flag we cannot read; say so rather than assume.
        severity = "warning" if op.concurrently is None else None
        yield hit(op, severity=severity, index=index)
