"""Renaming a column the running code still reads and writes."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS501"
KINDS = frozenset({m.RENAME_COLUMN})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.RENAME_COLUMN):
        if op.table_is_new or ctx.column_is_unreleased(op) or ctx.reverses_own_rename(migration, op):
            continue
        column = ctx.column_before(op)
        if ctx.made_by_this_migration(migration, op, column.origin if column is not None else None):
            continue
        # The new column takes the old one's type: spelled out when the migration or the history states it.
        type_py = op.get("existing_type_source")
        if not type_py and column is not None and column.type and column.type_source == "alembic":
            type_py = column.type
        yield hit(op, type_py=type_py, variant=None if type_py else "untyped")
