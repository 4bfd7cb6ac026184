"""Replacing one statement by several (or none) inside a block, keeping the comments around it.

Statement-level rewrites register a *decision* for the statement they return; the enclosing block
applies it: the statement's leading comments move onto whatever replaces it (or onto the next
statement when it disappears), and when an inlined branch ends in ``return``/``raise``/``break``/
``continue`` the now-unreachable statements after it in that block are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

_TERMINAL = (cst.Return, cst.Raise, cst.Continue, cst.Break)


@dataclass
class Decision:
    statements: list[cst.BaseStatement] = field(default_factory=list)
    extra_comments: list[cst.EmptyLine] = field(default_factory=list)  # e.g. the `if x:  # why` comment
    keep_comments: bool = True  # False when the statement and its comments go together (a dropped test)


def is_terminal(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and bool(statement.body)
        and isinstance(statement.body[-1], _TERMINAL)
    )


def header_comment(block: cst.BaseSuite) -> list[cst.EmptyLine]:
    if isinstance(block, cst.IndentedBlock) and block.header.comment is not None:
        return [cst.EmptyLine(comment=block.header.comment)]
    return []


def suite_statements(block: cst.BaseSuite) -> list[cst.BaseStatement]:
    """The statements of a block; a one-line suite (``if x: a; b``) becomes one statement line."""
    if isinstance(block, cst.IndentedBlock):
        return list(block.body)
    assert isinstance(block, cst.SimpleStatementSuite)
    return [cst.SimpleStatementLine(body=block.body)]


def _comments_only(lines: Sequence[cst.EmptyLine]) -> list[cst.EmptyLine]:
    return [line for line in lines if line.comment is not None]


def _is_pass(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Pass)
    )


def _is_blank(line: cst.EmptyLine) -> bool:
    return line.comment is None


def apply_decisions(
    body: Sequence[cst.BaseStatement], decisions: dict[int, Decision]
) -> tuple[list[cst.BaseStatement], list[cst.EmptyLine], bool]:
    """(new body, comments left over at the end, whether anything changed)."""
    new_body: list[cst.BaseStatement] = []
    pending: list[cst.EmptyLine] = []
    separated = False  # a dropped statement was set off by a blank line: keep that separation
    changed = False
    for position, statement in enumerate(body):
        decision = decisions.pop(id(statement), None)
        if decision is not None and decision.statements and all(map(_is_pass, decision.statements)):
            # An inlined `pass` placeholder says nothing once it sits among other statements;
            # rebuild_block puts one back if the block ends up empty.
            decision = Decision([], decision.extra_comments, decision.keep_comments)
        if decision is None:
            leading = list(statement.leading_lines)  # type: ignore[attr-defined]  # libcst declares it on concrete statements only
            if changed and not new_body and not pending:
                while leading and _is_blank(leading[0]):
                    leading.pop(0)
                statement = statement.with_changes(leading_lines=leading)
            if (
                separated
                and not (leading and _is_blank(leading[0]))
                and not (pending and _is_blank(pending[0]))
            ):
                pending = [cst.EmptyLine(indent=False), *pending]
            if pending:
                statement = statement.with_changes(leading_lines=[*pending, *leading])
            pending, separated = [], False
            new_body.append(statement)
            continue
        changed = True
        own = [*statement.leading_lines, *decision.extra_comments] if decision.keep_comments else []  # type: ignore[attr-defined]  # libcst declares it on concrete statements only
        carried = [*pending, *own]
        if not decision.statements:
            # A block that now starts later must not start with a blank line; elsewhere keep the
            # blank line that set the dropped statement apart.
            separated = bool(new_body) and (
                separated or bool(statement.leading_lines and _is_blank(statement.leading_lines[0]))  # type: ignore[attr-defined]  # libcst declares it on concrete statements only
            )
            pending = _comments_only(carried)
            continue
        pending, separated = [], False
        first, *rest = decision.statements
        new_body.append(first.with_changes(leading_lines=[*carried, *first.leading_lines]))  # type: ignore[attr-defined]  # libcst declares it on concrete statements only
        new_body.extend(rest)
        if is_terminal(decision.statements[-1]):
            # The rest of this block can no longer run. Forget decisions about it: they are keyed
            # by object id, which a later node could reuse once these are gone.
            for unreachable in body[position + 1 :]:
                decisions.pop(id(unreachable), None)
            break
    return new_body, pending, changed


def rebuild_block(block: cst.IndentedBlock, decisions: dict[int, Decision]) -> cst.IndentedBlock:
    body, pending, changed = apply_decisions(block.body, decisions)
    if not changed:
        return block
    if not body:
        body = [cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=pending)]
        pending = []
    return block.with_changes(body=body, footer=[*pending, *block.footer])


def rebuild_module(module: cst.Module, decisions: dict[int, Decision]) -> cst.Module:
    body, pending, changed = apply_decisions(module.body, decisions)
    if not changed:
        return module
    return module.with_changes(body=body, footer=[*pending, *module.footer])
