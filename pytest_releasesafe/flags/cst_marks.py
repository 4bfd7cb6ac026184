"""Which libcst nodes the flag remover has to visit at all.

libcst's visit rebuilds every node it enters, even when nothing below changes; on a removal that
is most of the rewrite's time. The remover can only change a subtree holding one of: a call by a
name a check may be called by (``callable_names``), the literal ``True`` or ``False`` (the folds
of ``not``/``and``/``if`` start from one), a read of a variable that held a check's result, or a
class (a waffle mixin names its flag in a class attribute). Registries (dict lookups, settings
overrides) are matched without such a name: with any configured, everything is visited. A node
whose subtree holds none of these is *inert*: the remover's visit would give it back unchanged and
record nothing, so it is not entered. ``mark`` finds the others, by one walk that reads the
nodes' fields without rebuilding them.
"""

from __future__ import annotations

import dataclasses
from typing import cast

import libcst as cst

_FIELDS: dict[type, tuple[str, ...]] = {}

# Nodes that can hold no expression (whitespace, comments, operators, literals, brackets): never
# walked into. Name is walked (it is a leaf itself, checked by value).
NO_EXPRESSIONS: frozenset[type] = frozenset(
    {
        cst.SimpleWhitespace,
        cst.ParenthesizedWhitespace,
        cst.Newline,
        cst.TrailingWhitespace,
        cst.EmptyLine,
        cst.Comment,
        cst.Comma,
        cst.Dot,
        cst.Colon,
        cst.Semicolon,
        cst.AssignEqual,
        cst.LeftParen,
        cst.RightParen,
        cst.LeftSquareBracket,
        cst.RightSquareBracket,
        cst.LeftCurlyBrace,
        cst.RightCurlyBrace,
        cst.SimpleString,
        cst.Integer,
        cst.Float,
        cst.Imaginary,
        cst.Ellipsis,
        cst.Pass,
        cst.Break,
        cst.Continue,
        *(
            operator
            for base in (cst.BaseBinaryOp, cst.BaseBooleanOp, cst.BaseCompOp, cst.BaseUnaryOp, cst.BaseAugOp)
            for operator in base.__subclasses__()
        ),
    }
)
_SEQUENCES = (list, tuple)
BOOL_NAMES = frozenset({"True", "False"})


def _fields(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(field.name for field in dataclasses.fields(kind))
    return names


def called_name(call: cst.Call) -> str:
    """The name a call ends in (``a.b.check(...)``: ``check``) as FlagRemover matches it; "" for
    a call of anything else (``handlers[0](...)``)."""
    func = call.func
    if isinstance(func, cst.Attribute):
        return func.attr.value
    if isinstance(func, cst.Name):
        return func.value
    return ""


def _walked(kind: type) -> bool:
    """Is a field value of this type a node worth walking into? (Looked up once per type: an
    isinstance check against libcst's abstract base class costs more than the walk's own step.)"""
    walked = _WALKED.get(kind)
    if walked is None:
        walked = _WALKED[kind] = issubclass(kind, cst.CSTNode) and kind not in NO_EXPRESSIONS
    return walked


_WALKED: dict[type, bool] = {}


def mark(
    node: cst.CSTNode,
    callables: frozenset[str],
    names: frozenset[str],
    marked: set[int],
    bound: set[str] | None = None,
) -> bool:
    """Add to ``marked`` the id of ``node`` and of every node below it whose subtree holds a call
    ending in one of ``callables``, a Name with a value in ``names`` or ``bound``, or a class. True
    when ``node`` itself was marked.

    ``bound`` (if given) also gains the names an assignment binds to a value that was marked: a
    variable that may hold a check's result. The nodes are walked in their fields' order, which
    for statements is the order of the text, so the reads after such a binding (the only ones the
    remover replaces) are marked by this same walk."""
    kind = type(node)
    if kind is cst.Name:
        value = cast(cst.Name, node).value
        found = value in names or (bound is not None and value in bound)
    else:
        found = kind is cst.ClassDef or (kind is cst.Call and called_name(cast(cst.Call, node)) in callables)
        walked = _WALKED
        for field in _FIELDS.get(kind) or _fields(kind):
            value = getattr(node, field)
            value_kind = type(value)
            if value_kind in _SEQUENCES:
                for item in value:
                    item_kind = type(item)
                    if (walked[item_kind] if item_kind in walked else _walked(item_kind)) and mark(
                        item, callables, names, marked, bound
                    ):
                        found = True
            elif (walked[value_kind] if value_kind in walked else _walked(value_kind)) and mark(
                value, callables, names, marked, bound
            ):
                found = True
        if bound is not None and (kind is cst.Assign or kind is cst.AnnAssign):
            _bind(cast("cst.Assign | cst.AnnAssign", node), marked, bound)
    if found:
        marked.add(id(node))
    return found


def _bind(assignment: cst.Assign | cst.AnnAssign, marked: set[int], bound: set[str]) -> None:
    if assignment.value is None or id(assignment.value) not in marked:
        return
    if isinstance(assignment, cst.Assign):
        targets = [target.target for target in assignment.targets]
    else:
        targets = [assignment.target]
    bound.update(target.value for target in targets if isinstance(target, cst.Name))
