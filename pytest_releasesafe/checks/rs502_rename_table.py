"""Renaming a table the running code still queries."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS502"
KINDS = frozenset({m.RENAME_TABLE})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.RENAME_TABLE):
        if not op.table_is_new and not ctx.reverses_own_rename(migration, op):
            yield hit(op)
