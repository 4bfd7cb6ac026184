"""ALTER TABLE ... SET LOGGED / UNLOGGED: rewrites the table under ACCESS EXCLUSIVE."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS404"
KINDS = frozenset({m.SET_LOGGED})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.SET_LOGGED):
        if not op.table_is_new:
            yield hit(op, mode="LOGGED" if op.get("logged") else "UNLOGGED")
