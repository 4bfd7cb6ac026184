"""`ast` nodes -> neutral shapes (the fast scan path: no libcst import)."""

from __future__ import annotations

import ast

from .shapes import CallOf, CallShape, Const, Dotted, Expr, Method, Opaque, Str
from .tree_walk import walk

_IMPURE = (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)


def to_expr(node: ast.expr) -> Expr:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            return Str(node.value)
        if isinstance(node.value, bytes):
            return Opaque(pure=True)
        return Const(node.value)
    if isinstance(node, ast.Name):
        return Dotted((node.id,))
    if isinstance(node, ast.Attribute):
        base = to_expr(node.value)
        if isinstance(base, Dotted):
            return Dotted((*base.parts, node.attr))
        return Method(base, node.attr, pure=base.pure)
    if isinstance(node, ast.Call):
        return CallOf(to_expr(node.func))
    if isinstance(node, ast.JoinedStr) and all(isinstance(part, ast.Constant) for part in node.values):
        return Str("".join(str(part.value) for part in node.values))  # type: ignore[attr-defined]
    return Opaque(pure=not any(isinstance(child, _IMPURE) for child in walk(node)))


def call_shape(node: ast.Call) -> CallShape:
    args = tuple(to_expr(arg) for arg in node.args if not isinstance(arg, ast.Starred))
    keywords = tuple((kw.arg, to_expr(kw.value)) for kw in node.keywords if kw.arg is not None)
    has_star = any(isinstance(arg, ast.Starred) for arg in node.args) or any(
        kw.arg is None for kw in node.keywords
    )
    return CallShape(to_expr(node.func), args, keywords, has_star)
