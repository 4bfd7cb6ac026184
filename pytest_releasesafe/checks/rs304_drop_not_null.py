"""DROP NOT NULL: the running code may read NULLs it assumes cannot exist."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS304"
KINDS = frozenset(
    {m.ADD_COLUMN, m.DROP_NOT_NULL, m.ALTER_COLUMN_TYPE, m.SET_NOT_NULL}
)  # skipped when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    yield from _modify_drops_not_null(migration, ctx)
    if next(ctx.ops(migration, m.DROP_NOT_NULL), None) is None:
        return  # nothing to judge: skip the walk over every operation
    added_here: set[tuple[str, str, str]] = set()
    for op in ctx.ops(migration, m.ADD_COLUMN, m.DROP_NOT_NULL):
        key = (op.phase, (op.table or "").lower(), (op.column or "").lower())
        if op.kind == m.ADD_COLUMN:
            added_here.add(key)
        elif (
            not op.table_is_new
            and key not in added_here
            and op.get("existing_nullable") is not True
            and not _already_nullable(op, ctx)
            and not (
                op.phase == m.DOWNGRADE and (key[1], key[2]) in _made_not_null_by_upgrade(migration, ctx)
            )
        ):
            yield hit(op)


def _already_nullable(op: m.Operation, ctx: CheckContext) -> bool:
    """The replayed history says the column is nullable already: `nullable=True` restates it."""
    column = ctx.column_before(op)
    return column is not None and column.nullable is True


def _made_not_null_by_upgrade(migration: Migration, ctx: CheckContext) -> set[tuple[str, str]]:
    """Columns this revision's upgrade made NOT NULL: its downgrade making them nullable again
    restores what the previous release ran on (and wrote NULLs into)."""
    return {
        ((op.table or "").lower(), (op.column or "").lower())
        for op in ctx.ops(migration, m.SET_NOT_NULL, m.ADD_COLUMN)
        if op.phase == m.UPGRADE and (op.kind == m.SET_NOT_NULL or op.nullable is False)
    }


def _modify_drops_not_null(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    """MySQL `MODIFY`/`CHANGE COLUMN` restates the whole column: leaving out NOT NULL on a column
    the history made NOT NULL silently makes it nullable."""
    for op in ctx.ops(migration, m.ALTER_COLUMN_TYPE):
        if op.get("statement") != "MODIFY" or op.nullable is not True or op.table_is_new:
            continue
        column = ctx.column_before(op)
        if column is not None and column.nullable is False:
            yield hit(op)
