"""ADD COLUMN ... NOT NULL with no server default on a table that already has rows."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS301"
KINDS = frozenset({m.ADD_COLUMN})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.ADD_COLUMN):
        if op.table_is_new or op.nullable is not False:
            continue
        if op.has_default is True or op.get("identity") or op.get("serial") or op.get("generated_stored"):
            continue  # existing rows get a value; other rules judge the rewrite
        yield hit(op, severity="warning" if op.has_default is None else None, type=op.type)
