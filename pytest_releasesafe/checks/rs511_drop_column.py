"""Dropping a column the previous release may still read or write."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS511"
KINDS = frozenset({m.DROP_COLUMN})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.DROP_COLUMN):
        if op.table_is_new or ctx.column_is_unreleased(op):
            continue
        column = ctx.column_before(op)
        if ctx.made_by_this_migration(migration, op, column.origin if column is not None else None):
            continue
        yield hit(op)
