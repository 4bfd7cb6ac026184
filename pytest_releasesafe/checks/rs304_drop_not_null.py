"""DROP NOT NULL: the running code may read NULLs it assumes cannot exist."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS304"
KINDS = frozenset({m.ADD_COLUMN, m.DROP_NOT_NULL})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    if next(ctx.ops(migration, m.DROP_NOT_NULL), None) is None:
        return  # nothing to judge: skip the walk over every operation
    added_here: set[tuple[str, str, str]] = set()
    for op in ctx.ops(migration, m.ADD_COLUMN, m.DROP_NOT_NULL):
        key = (op.phase, (op.table or "").lower(), (op.column or "").lower())
        if op.kind == m.ADD_COLUMN:
            added_here.add(key)
        elif not op.table_is_new and key not in added_here and op.get("existing_nullable") is not True:
            yield hit(op)
