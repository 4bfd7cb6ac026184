"""Where a file's top-level statements are: the scan records it, a removal cuts the file there.

Standard library only: the scan never imports libcst.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A top-level statement of a file as read: where it is and what a clean-up needs of it."""

    start: int  # first line, decorators included
    end: int
    function: str | None  # the name of a def: a helper that may become unused
    defines: str | None  # the name of a def or class
    imports: bool  # it starts with an import (``import a; b = 1``)
    expression: bool  # it starts with a bare expression (a docstring, at the top of a file)


def statement_spans(tree: ast.Module) -> list[Span]:
    """The top-level statements as libcst sees them: `a; b` on one line is one."""
    merged: list[tuple[int, int, ast.stmt]] = []
    for node in tree.body:
        decorators = getattr(node, "decorator_list", [])
        start = min([node.lineno, *(decorator.lineno for decorator in decorators)])
        end = node.end_lineno or node.lineno
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), merged[-1][2])
        else:
            merged.append((start, end, node))
    return [
        Span(
            start,
            end,
            node.name if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None,
            node.name if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else None,
            isinstance(node, (ast.Import, ast.ImportFrom)),
            isinstance(node, ast.Expr),
        )
        for start, end, node in merged
    ]
