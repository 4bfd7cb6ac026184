"""Consecutive ALTER TABLE statements on one table that could be a single statement."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.locking import ALTER_TABLE_KINDS, statement_key, table_key
from pytest_releasesafe.checks.statement_parts import alter_action
from pytest_releasesafe.model import Migration, Operation

CODE = "RS605"

# Statements between two ALTERs that do not stop them being merged.
_TRANSPARENT = {m.SET_SETTING, m.COMMENT, m.SELECT}
# Settings that bound waits without changing what the statements do.
_TIMEOUTS = {"lock_timeout", "lock_wait_timeout", "statement_timeout", "innodb_lock_wait_timeout"}


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    alters = (op for kind in ALTER_TABLE_KINDS for op in ctx.ops(migration, kind))
    if next(alters, None) is None or next(alters, None) is None:
        return  # fewer than two ALTER TABLE actions: nothing to combine
    previous: Operation | None = None  # the last ALTER TABLE of the current run on one table
    reported: set[str | None] = set()
    for op in ctx.ops(migration):
        if op.kind == m.SET_SETTING and str(op.get("name") or "").lower() not in _TIMEOUTS:
            previous = None  # e.g. foreign_key_checks = 0: the ALTERs after it run differently
            continue
        if op.kind in _TRANSPARENT:
            continue
        if previous is None or not _combinable(op, previous):
            previous = op if _mergeable(op) else None
            continue
        if statement_key(op) == statement_key(previous):
            continue  # another action of the same statement
        if table_key(op) not in reported:
            reported.add(table_key(op))
            yield hit(
                op,
                first_line=previous.location.line,
                first_action=alter_action(previous, ctx.dialect),
                second_action=alter_action(op, ctx.dialect),
            )
        previous = op


def _mergeable(op: Operation) -> bool:
    return (
        op.kind in ALTER_TABLE_KINDS
        and not op.table_is_new
        and op.table is not None
        and not op.conditional
        # MySQL allows one partition operation per ALTER TABLE, and nothing else beside it.
        and "PARTITION" not in str(op.get("action") or "").upper()
    )


def _combinable(op: Operation, previous: Operation) -> bool:
    if (
        not _mergeable(op)
        or table_key(op) != table_key(previous)
        or op.in_transaction != previous.in_transaction
        or op.phase != previous.phase  # with --downgrade: never across upgrade and downgrade
    ):
        return False
    # ADD COLUMN then SET DEFAULT on it is the pre-PG 11 recipe that avoids a rewrite: keep them apart.
    same_column = (op.column or "").lower() == (previous.column or "").lower()
    return not (op.kind == m.SET_DEFAULT and previous.kind == m.ADD_COLUMN and same_column)
