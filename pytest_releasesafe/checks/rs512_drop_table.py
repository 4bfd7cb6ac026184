"""Dropping a table the previous release may still query."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS512"
KINDS = frozenset({m.DROP_TABLE})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.DROP_TABLE):
        if op.table_is_new:
            continue
        table = ctx.table_before(op)
        if ctx.made_by_this_migration(migration, op, table.origin if table is not None else None):
            continue
        yield hit(op)
