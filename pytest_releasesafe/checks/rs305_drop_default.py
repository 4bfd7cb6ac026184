"""DROP DEFAULT: inserts from the running code that omit the column change meaning or fail."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS305"
KINDS = frozenset({m.ADD_COLUMN, m.DROP_DEFAULT})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    if next(ctx.ops(migration, m.DROP_DEFAULT), None) is None:
        return  # nothing to judge: skip the walk over every operation
    # A nullable column added in this migration is unknown to the running code: its inserts
    # leave it NULL with or without the default.
    nullable_added_here: set[tuple[str, str, str]] = set()
    for op in ctx.ops(migration, m.ADD_COLUMN, m.DROP_DEFAULT):
        key = (op.phase, (op.table or "").lower(), (op.column or "").lower())
        if op.kind == m.ADD_COLUMN:
            if op.nullable is True:
                nullable_added_here.add(key)
        elif not op.table_is_new and key not in nullable_added_here:
            yield hit(op)
