"""DROP INDEX without CONCURRENTLY on an index of an existing table."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS103"
KINDS = frozenset({m.CREATE_INDEX, m.DROP_INDEX, m.DROP_TABLE})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    if next(ctx.ops(migration, m.DROP_INDEX), None) is None:
        return  # nothing to judge: skip the walk over every operation
    created_here: set[tuple[str, str]] = set()  # built earlier in this phase of the migration: not in use yet
    # A table the same phase drops: its DROP TABLE takes ACCESS EXCLUSIVE anyway (and RS512 reports
    # it), so dropping its indexes first, concurrently or not, changes nothing.
    dropped_tables = {
        (op.phase, op.qualified_table.lower())
        for op in ctx.ops(migration, m.DROP_TABLE)
        if op.qualified_table
    }
    for op in ctx.ops(migration, m.CREATE_INDEX, m.DROP_INDEX):
        if op.kind == m.CREATE_INDEX:
            if op.index:
                created_here.add((op.phase, op.index.lower()))
            continue
        if op.table_is_new or op.concurrently is True or (op.phase, (op.index or "").lower()) in created_here:
            continue
        if op.qualified_table and (op.phase, op.qualified_table.lower()) in dropped_tables:
            continue
        yield hit(
            op,
            severity="warning" if op.concurrently is None else None,
            table=op.qualified_table or "its table",
        )
