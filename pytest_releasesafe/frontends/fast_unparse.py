"""`ast.unparse`, without its cost on the expressions migrations are made of.

`ast.unparse` builds a visitor per call and walks it generically: ~50 us for `sa.String(length=255)`,
called for every column type and `existing_type=` of a revision. Names, attributes, and calls whose
arguments are plain ints, bools, None, quote-free strings and lists of them are spelled here the same
way; anything else is left to `ast.unparse`. `tests/lint/test_lint_fast_unparse.py` checks both agree.
"""

from __future__ import annotations

import ast


def unparse(node: ast.expr) -> str:
    simple = _simple(node)
    return simple if simple is not None else ast.unparse(node)


def _simple(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        if not isinstance(node.value, (ast.Name, ast.Attribute, ast.Call)):
            return None  # `(1).real`, `"a".upper`: unparse adds parentheses or spacing
        owner = _simple(node.value)
        return None if owner is None else f"{owner}.{node.attr}"
    if isinstance(node, ast.Constant):
        value = node.value
        if value is None or isinstance(value, (bool, int)):
            return repr(value)
        if isinstance(value, str) and value.isprintable() and "'" not in value and "\\" not in value:
            return repr(value)
        return None  # floats, bytes, quotes and escapes: unparse has its own spelling
    if isinstance(node, ast.List):  # the columns of `op.create_index(..., ["a", "b"])`
        items = []
        for element in node.elts:
            text = _simple(element)
            if text is None:
                return None
            items.append(text)
        return f"[{', '.join(items)}]"
    if isinstance(node, ast.Call):
        func = _simple(node.func) if isinstance(node.func, (ast.Name, ast.Attribute)) else None
        if func is None:
            return None
        parts = []
        for argument in node.args:
            text = _simple(argument)
            if text is None:
                return None
            parts.append(text)
        for keyword in node.keywords:
            text = _simple(keyword.value) if keyword.arg is not None else None
            if text is None:
                return None
            parts.append(f"{keyword.arg}={text}")
        return f"{func}({', '.join(parts)})"
    return None
