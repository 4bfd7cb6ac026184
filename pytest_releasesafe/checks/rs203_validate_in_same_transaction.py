"""VALIDATE CONSTRAINT in the same transaction as the NOT VALID add it is meant to follow."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS203"


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    if next(ctx.ops(migration, m.VALIDATE_CONSTRAINT), None) is None:
        return  # nothing to judge: skip the walk over every operation
    # Constraints added NOT VALID in the transaction still open: name -> the add operation.
    pending: dict[str, m.Operation] = {}
    phase = None
    for op in ctx.ops(migration):
        if op.phase != phase:  # upgrade() and downgrade() never share a transaction
            phase = op.phase
            pending.clear()
        if op.kind in (m.COMMIT, m.ROLLBACK, m.BEGIN) or op.in_transaction is not True:
            # A transaction boundary (COMMIT, or an autocommit block / statement run on its own)
            # releases the locks the add took: a later VALIDATE no longer holds them.
            pending.clear()
            continue
        if op.kind == m.ADD_CONSTRAINT and op.not_valid is True and op.constraint:
            pending[op.constraint.lower()] = op
        elif op.kind == m.VALIDATE_CONSTRAINT and op.constraint and op.constraint.lower() in pending:
            added = pending.pop(op.constraint.lower())
            yield hit(op, added_line=added.location.line, table=op.qualified_table or added.qualified_table)
