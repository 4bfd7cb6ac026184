"""After the checks are gone: the constants and Enum members that only named the flag go too.

``NEW_CHECKOUT = "new_checkout_flow"`` or ``Flag.NEW_CHECKOUT`` is removed when, after the rewrite,
no file mentions the name any more. A name still mentioned anywhere (even in a comment or a string)
stays: it may be used in ways a static reading cannot see.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import libcst as cst

from .blocks import Decision, rebuild_block, rebuild_module
from .cst_shapes import to_expr
from .shapes import Str
from .summary import ProjectIndex


@dataclass(frozen=True)
class FlagDefinition:
    path: Path
    name: str  # the constant, or the Enum member
    owner: str | None = None  # the class holding the member


def flag_definitions(index: ProjectIndex, flag: str) -> list[FlagDefinition]:
    found: list[FlagDefinition] = []
    for summary in index.loaded():
        if summary.path is None:
            continue
        found.extend(
            FlagDefinition(summary.path, name) for name, value in summary.constants.items() if value == flag
        )
        for owner, members in summary.classes.items():
            found.extend(
                FlagDefinition(summary.path, member, owner)
                for member, value in members.items()
                if value == flag
            )
    return found


def _mentions(text: str, word: str) -> int:
    return len(re.findall(rf"\b{re.escape(word)}\b", text))


def unused_definitions(definitions: list[FlagDefinition], texts: dict[Path, str]) -> list[FlagDefinition]:
    """The definitions whose name no file mentions besides the definition itself."""
    unused = []
    for definition in definitions:
        total = sum(_mentions(text, definition.name) for text in texts.values())
        if total == 1:  # only `NAME = "flag"` itself
            unused.append(definition)
    return unused


def _is_definition(statement: cst.BaseStatement, name: str, flag: str) -> bool:
    if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
        return False
    small = statement.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target, value = small.targets[0].target, small.value
    elif isinstance(small, cst.AnnAssign) and small.value is not None:
        target, value = small.target, small.value
    else:
        return False
    return isinstance(target, cst.Name) and target.value == name and to_expr(value) == Str(flag)


def _is_any_definition(statement: cst.BaseStatement, *, names: set[str], flag: str) -> bool:
    return any(_is_definition(statement, name, flag) for name in names)


def _without_own_comment(
    statement: cst.BaseStatement, following: cst.BaseStatement | None
) -> cst.BaseStatement:
    """The statement without the comment block that describes it, so that block goes with it.

    A comment block directly above the definition (no blank line between) is its own, unless the
    next statement follows without a blank line too: then the comment heads a group and stays."""
    lines = list(statement.leading_lines)  # type: ignore[attr-defined]  # libcst declares it on concrete statements only
    own = 0
    while own < len(lines) and lines[len(lines) - 1 - own].comment is not None:
        own += 1
    if not own:
        return statement
    group_continues = following is not None and not (
        following.leading_lines and following.leading_lines[0].comment is None  # type: ignore[attr-defined]  # libcst declares it on concrete statements only
    )
    if group_continues:
        return statement
    return statement.with_changes(leading_lines=lines[: len(lines) - own])


def _drop(body: list[cst.BaseStatement], wanted: Callable[[cst.BaseStatement], bool]) -> dict[int, Decision]:
    """Decisions dropping the wanted statements of ``body`` (edited in place) with their own comments."""
    decisions: dict[int, Decision] = {}
    for position, statement in enumerate(body):
        if wanted(statement):
            following = body[position + 1] if position + 1 < len(body) else None
            body[position] = _without_own_comment(statement, following)
            decisions[id(body[position])] = Decision([])
    return decisions


def remove_definitions(source: str, definitions: list[FlagDefinition], flag: str) -> str:
    """``source`` without the given module constants / class members (all from this one file)."""
    module = cst.parse_module(source)
    constants = {definition.name for definition in definitions if definition.owner is None}
    members = {(definition.owner, definition.name) for definition in definitions if definition.owner}
    body: list[cst.BaseStatement] = list(module.body)
    decisions = _drop(body, partial(_is_any_definition, names=constants, flag=flag))
    for position, statement in enumerate(body):
        if isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock):
            owner = statement.name.value
            lines = list(statement.body.body)
            names = {name for member_owner, name in members if member_owner == owner}
            inner = _drop(lines, partial(_is_any_definition, names=names, flag=flag))
            if inner:
                block = statement.body.with_changes(body=lines)
                body[position] = statement.with_changes(body=rebuild_block(block, inner))
    return rebuild_module(module.with_changes(body=body), decisions).code
