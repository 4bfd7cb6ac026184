"""libcst nodes -> neutral shapes, so removal matches exactly what the scan reports."""

from __future__ import annotations

import libcst as cst

from .shapes import CallOf, CallShape, Const, Dotted, Expr, Method, Opaque, Str

_IMPURE = (cst.Call, cst.Await, cst.Yield, cst.NamedExpr)


class _ImpurityFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, _IMPURE):
            self.found = True
        return not self.found


def is_pure(node: cst.CSTNode) -> bool:
    """False when evaluating ``node`` could run code (a call, await, yield or walrus inside)."""
    finder = _ImpurityFinder()
    node.visit(finder)
    return not finder.found


def to_expr(node: cst.BaseExpression) -> Expr:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return Str(value) if isinstance(value, str) else Opaque(pure=True)
    if isinstance(node, cst.Name):
        if node.value in ("True", "False", "None"):
            return Const({"True": True, "False": False, "None": None}[node.value])
        return Dotted((node.value,))
    if isinstance(node, cst.Attribute):
        base = to_expr(node.value)
        if isinstance(base, Dotted):
            return Dotted((*base.parts, node.attr.value))
        return Method(base, node.attr.value, pure=base.pure)
    if isinstance(node, cst.Call):
        return CallOf(to_expr(node.func))
    if isinstance(node, (cst.Integer, cst.Float)):
        return Const(node.evaluated_value)
    return Opaque(pure=is_pure(node))


def call_shape(node: cst.Call) -> CallShape:
    args: list[Expr] = []
    keywords: list[tuple[str, Expr]] = []
    has_star = False
    for arg in node.args:
        if arg.star:
            has_star = True
        elif arg.keyword is not None:
            keywords.append((arg.keyword.value, to_expr(arg.value)))
        else:
            args.append(to_expr(arg.value))
    return CallShape(to_expr(node.func), tuple(args), tuple(keywords), has_star)


def bool_constant(node: cst.CSTNode) -> bool | None:
    """True/False when ``node`` is the literal ``True``/``False`` (parenthesised or not)."""
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return node.value == "True"
    return None
