"""The state before each statement of a migration, from the state before the migration.

Upgrade statements run in file order from the state the history reached; the down step
(downgrade(), a down section) runs from the state after the upgrade, never feeding the history.
"""

from __future__ import annotations

from pytest_releasesafe import model as m
from pytest_releasesafe.model import Operation
from pytest_releasesafe.schema.replay import apply, key
from pytest_releasesafe.schema.state import Origin, Schema

# Snapshots by `id(op)` of the operations in `Migration.operations` (valid while they are alive).
Snapshots = dict[int, Schema]


def replay(
    operations: list[Operation],
    before: Schema,
    origin: Origin,
    dialect: str,
    snapshots: Snapshots | None = None,
) -> tuple[list[Operation], Schema]:
    """(the operations, with `table_is_new` set on tables an unreleased file created; the state
    after the upgrade). With `snapshots`, records the state before every operation in it."""
    upgraded = _walk(operations, m.UPGRADE, before, origin, dialect, snapshots)
    after = upgraded[1]
    if any(op.phase != m.UPGRADE for op in operations):
        downgraded = _walk(upgraded[0], m.DOWNGRADE, after, origin, dialect, snapshots)
        return downgraded[0], after
    return upgraded[0], after


def _walk(
    operations: list[Operation],
    phase: str,
    state: Schema,
    origin: Origin,
    dialect: str,
    snapshots: Snapshots | None,
) -> tuple[list[Operation], Schema]:
    result: list[Operation] = []
    append = result.append
    create_table = m.CREATE_TABLE
    for op in operations:
        if op.phase != phase:
            append(op)
            continue
        if not op.table_is_new and op.table and op.kind != create_table:
            table = state.tables.get(key(op.table))
            if table is not None and table.origin.unreleased and table.origin.path != origin.path:
                # Created by a migration not released yet: empty, and no running code uses it.
                op = _marked_new(op)
        if snapshots is not None:
            snapshots[id(op)] = state
        append(op)
        dialects = op.dialects
        if dialects is None or dialect in dialects:
            state = apply(state, op, origin)
    return result, state


def _marked_new(op: Operation) -> Operation:
    new = object.__new__(Operation)
    new.__dict__.update(op.__dict__)
    new.__dict__["table_is_new"] = True
    return new
