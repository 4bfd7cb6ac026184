"""Slow statements run after an ACCESS EXCLUSIVE lock was taken in the same transaction."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.locking import (
    ACCESS_EXCLUSIVE,
    SLOW_CANDIDATES,
    has_any,
    is_slow,
    lock_mode,
    transactions,
)
from pytest_releasesafe.model import Migration, Operation

CODE = "RS603"


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    if not has_any(migration, ctx, *SLOW_CANDIDATES):
        return  # nothing slow to follow a lock
    for transaction in transactions(ctx.ops(migration)):
        locked = None
        for op in transaction:
            if locked is not None and is_slow(op) and not _instant_type_change(op, ctx):
                # A lock is held until COMMIT: everything after it extends the outage on that table.
                yield hit(
                    op,
                    locked_table=locked.qualified_table or locked.index or "the table",
                    locked_line=locked.location.line,
                    statement=_describe(op),
                )
                break  # one finding per transaction: moving the slow work out fixes the rest too
            if locked is None and lock_mode(op, ctx.dialect) == ACCESS_EXCLUSIVE:
                locked = op


def _instant_type_change(op: Operation, ctx: CheckContext) -> bool:
    """A type change the rewrite rule lets pass (varchar widening, varchar -> text) only edits the catalog."""
    from pytest_releasesafe.checks import rs401_alter_column_type_rewrite as rs401
    from pytest_releasesafe.model import ALTER_COLUMN_TYPE

    return op.kind == ALTER_COLUMN_TYPE and not any(rs401.check_operation(op, ctx))


def _describe(op: Operation) -> str:
    text = " ".join((op.sql or "").split())
    if text:
        return text if len(text) <= 60 else text[:57] + "..."
    return op.kind.replace("_", " ") + (f" on {op.qualified_table}" if op.table else "")
