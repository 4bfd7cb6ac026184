"""Read code written for a newer Python than the one running us (3.12-3.14 syntax).

A project may target a newer Python than the tool runs on. When the standard-library parser
refuses a file, libcst's native parser (which accepts Python 3.0-3.14 grammar) reads it, and the
few newer constructs are rewritten into older equivalents that keep every line where it was:

- ``type X[T] = value`` (PEP 695) becomes ``X = value``;
- type parameters on ``def``/``class`` (PEP 695) are dropped;
- ``except A, B:`` without parentheses (PEP 758) gets them.

Only what matching needs must survive: names, imports, calls and their lines. The result is
parsed with ``ast`` as usual, so scan and removal keep one set of rules. libcst is imported only
when a file needs this, so an ordinary scan stays libcst-free.
"""

from __future__ import annotations

import ast


def _downlevel(code: str | bytes) -> str | None:
    """``code`` in syntax this Python parses, or None when libcst cannot read it either."""
    import libcst as cst

    class Downlevel(cst.CSTTransformer):
        def leave_TypeAlias(self, original_node: cst.TypeAlias, updated_node: cst.TypeAlias) -> cst.Assign:
            return cst.Assign(targets=[cst.AssignTarget(updated_node.name)], value=updated_node.value)

        def leave_FunctionDef(
            self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
        ) -> cst.FunctionDef:
            return updated_node.with_changes(type_parameters=None)

        def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
            return updated_node.with_changes(type_parameters=None)

        def leave_ExceptHandler(
            self, original_node: cst.ExceptHandler, updated_node: cst.ExceptHandler
        ) -> cst.ExceptHandler:
            return _parenthesized(updated_node)

        def leave_ExceptStarHandler(
            self, original_node: cst.ExceptStarHandler, updated_node: cst.ExceptStarHandler
        ) -> cst.ExceptStarHandler:
            return _parenthesized(updated_node)

    def _parenthesized(handler: cst.ExceptHandler | cst.ExceptStarHandler):
        """``except A, B:`` (PEP 758) as ``except (A, B):``."""
        kind = handler.type
        if isinstance(kind, cst.Tuple) and not kind.lpar:
            return handler.with_changes(
                type=kind.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()]),
                whitespace_after_except=cst.SimpleWhitespace(" "),
            )
        return handler

    try:
        module = cst.parse_module(code)
    except (cst.ParserSyntaxError, ValueError, RecursionError):
        return None
    return module.visit(Downlevel()).code


def parse_python(code: str | bytes, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse``, falling back to libcst for newer syntax; raises the original SyntaxError
    when neither can read the code."""
    try:
        return ast.parse(code, filename=filename)
    except SyntaxError as error:
        older = _downlevel(code)
        if older is None:
            raise
        try:
            return ast.parse(older, filename=filename)
        except SyntaxError:
            raise error from None


def check_compiles(code: str, filename: str) -> None:
    """Raise SyntaxError unless ``code`` is valid Python (for this interpreter, or for a newer one
    as far as libcst's grammar and the rewritten form tell)."""
    try:
        compile(code, filename, "exec", dont_inherit=True)
    except SyntaxError:
        older = _downlevel(code)
        if older is None:
            raise
        compile(older, filename, "exec", dont_inherit=True)
