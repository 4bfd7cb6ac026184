"""DROP INDEX without CONCURRENTLY on an index of an existing table."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.locking import ACCESS_EXCLUSIVE, lock_mode, transactions
from pytest_releasesafe.model import Migration
from pytest_releasesafe.schema.state import key

CODE = "RS103"


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    if next(ctx.ops(migration, m.DROP_INDEX), None) is None:
        return  # nothing to judge: skip the walk over every operation
    ops = list(ctx.ops(migration))
    created_here: set[tuple[str, str]] = set()  # built earlier in this phase of the migration: not in use yet
    # A table the same phase drops: its DROP TABLE takes ACCESS EXCLUSIVE anyway (and RS512 reports
    # it), so dropping its indexes first, concurrently or not, changes nothing.
    dropped_tables = {(op.phase, key(op.qualified_table)) for op in ops if op.kind == m.DROP_TABLE}
    # Same for a column the phase drops later: the DROP COLUMN takes ACCESS EXCLUSIVE and removes
    # every index on the column with it (RS511 reports the drop).
    dropped_columns = [
        (position, op.phase, key(op.table), key(op.column))
        for position, op in enumerate(ops)
        if op.kind == m.DROP_COLUMN and op.table and op.column
    ]
    already_locked = _locked_by_an_earlier_statement(ops, ctx.dialect)
    for position, op in enumerate(ops):
        if op.kind == m.CREATE_INDEX:
            if op.index:
                created_here.add((op.phase, op.index.lower()))
            continue
        if op.kind != m.DROP_INDEX:
            continue
        if op.table_is_new or op.concurrently is True or (op.phase, (op.index or "").lower()) in created_here:
            continue
        if op.qualified_table and (op.phase, key(op.qualified_table)) in dropped_tables:
            continue
        if _goes_with_a_later_column_drop(op, position, dropped_columns, ctx):
            continue
        if op.concurrently is False and id(op) in already_locked:
            continue  # an earlier statement of the transaction holds ACCESS EXCLUSIVE: no new wait
        yield hit(
            op,
            severity="warning" if op.concurrently is None else None,
            table=op.qualified_table or "its table",
        )


def _goes_with_a_later_column_drop(
    op: m.Operation,
    position: int,
    dropped_columns: list[tuple[int, str, str, str]],
    ctx: CheckContext,
) -> bool:
    """The catalogue's index has a column that the same phase drops later on the same table."""
    schema = ctx.schema_before(op)
    index = schema.index(op.index) if schema is not None and op.index else None
    if index is None or not index.columns:
        return False
    table = key(op.table or index.table)
    gone = {
        column
        for at, phase, on_table, column in dropped_columns
        if at > position and phase == op.phase and on_table == table
    }
    return bool(set(index.columns) & gone)


def _locked_by_an_earlier_statement(ops: list[m.Operation], dialect: str) -> set[int]:
    """The DROP INDEX operations (by id) on a table an earlier statement of the same transaction
    locked ACCESS EXCLUSIVE (a rename, an ALTER): the lock is already held, so the drop neither waits
    in the lock queue nor blocks anyone longer than that statement already does; that statement's
    own finding is the one to act on."""
    if dialect != "postgresql":
        return set()
    found: set[int] = set()
    for transaction in transactions(ops):
        locked: set[str] = set()
        for op in transaction:
            table = key(op.qualified_table)
            if op.kind == m.DROP_INDEX and table in locked:
                found.add(id(op))
            if lock_mode(op, dialect) == ACCESS_EXCLUSIVE and op.kind != m.DROP_INDEX and table:
                locked.add(table)
                if op.kind == m.RENAME_TABLE and op.new_name:
                    locked.add(key(op.new_name))  # the lock follows the table to its new name
    return found
