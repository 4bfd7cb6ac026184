"""VACUUM FULL in a migration: rewrites the table under ACCESS EXCLUSIVE."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS405"
KINDS = frozenset({m.VACUUM_FULL})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.VACUUM_FULL):
        if not op.table_is_new:
            yield hit(op, table=op.qualified_table or "every table in the database")
