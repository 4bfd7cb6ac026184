"""Operations that only the safe rewrite emits, and how autogenerate renders them into a revision.

Alembic renders each operation of a `MigrationScript` through a renderer looked up by its class;
registering ours on `alembic.autogenerate.renderers` lets a rewritten script hold "run these in an
autocommit block", "a note for the author" and "this reviewed step is suppressed for a reason".
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic.autogenerate import renderers
from alembic.autogenerate.api import AutogenContext
from alembic.autogenerate.render import render_op
from alembic.operations import ops


class AutocommitBlockOp(ops.MigrateOperation):
    """Operations that must run outside the migration's transaction (CONCURRENTLY, VALIDATE)."""

    def __init__(self, operations: Sequence[ops.MigrateOperation]) -> None:
        self.ops = list(operations)

    def reverse(self) -> AutocommitBlockOp:
        return AutocommitBlockOp([operation.reverse() for operation in reversed(self.ops)])


class NoteOp(ops.MigrateOperation):
    """A comment block in the generated revision: the next steps a human must take."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = list(lines)

    def reverse(self) -> NoteOp:
        return NoteOp([])


class SuppressedOp(ops.MigrateOperation):
    """An operation a rule would flag, emitted on purpose with a reasoned suppression above it."""

    def __init__(self, operation: ops.MigrateOperation, code: str, reason: str) -> None:
        self.operation = operation
        self.code = code
        self.reason = reason

    def reverse(self) -> ops.MigrateOperation:
        return self.operation.reverse()


@renderers.dispatch_for(AutocommitBlockOp)
def _render_autocommit_block(context: AutogenContext, block: AutocommitBlockOp) -> list[str]:
    lines = ["with op.get_context().autocommit_block():"]
    for operation in block.ops:
        lines.extend(render_op(context, operation))
    lines.append("")  # ends the block: autogenerate's printer dedents on an empty line
    return lines


@renderers.dispatch_for(NoteOp)
def _render_note(context: AutogenContext, note: NoteOp) -> list[str]:
    return [f"# {line}".rstrip() for line in note.lines]


@renderers.dispatch_for(SuppressedOp)
def _render_suppressed(context: AutogenContext, suppressed: SuppressedOp) -> list[str]:
    return [
        f"# releasesafe: ignore[{suppressed.code}] {suppressed.reason}",
        *render_op(context, suppressed.operation),
    ]
