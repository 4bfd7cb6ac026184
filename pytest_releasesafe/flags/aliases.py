"""Local aliases of flag keys: ``name = NEW_CHECKOUT`` then ``flag_is_active(request, name)``.

A local bound exactly once, to a string literal or a dotted name (a constant, an Enum member), and
never read before that binding always holds that value: a check reading it checks that key. Scan
and removal both substitute such aliases before matching, so they agree on what a check checks.
"""

from __future__ import annotations

import ast
import bisect
from collections import Counter
from dataclasses import dataclass, replace

from .ast_shapes import to_expr
from .newer_syntax import parse_python
from .shapes import CallShape, Dotted, Expr, Str
from .tree_walk import walk

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class Alias:
    value: Expr  # what the name always holds
    reads: int  # how often the function reads it
    line: int  # the binding's line, relative to the parsed code


def _bound_names(node: ast.AST) -> list[str]:
    """Names a node binds other than through an ``ast.Name`` store."""
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return list(node.names)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.ExceptHandler) and node.name:
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [alias.asname or alias.name.split(".")[0] for alias in node.names]
    if isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
        return [node.name]
    if isinstance(node, ast.MatchMapping) and node.rest:
        return [node.rest]
    return []


def local_aliases(function: ast.AST) -> dict[str, Alias]:
    """The names in ``function`` (nested scopes included) that hold one constant key for good."""
    bindings: Counter[str] = Counter()
    first_read: dict[str, tuple[int, int]] = {}
    reads: Counter[str] = Counter()
    candidates: dict[str, tuple[ast.expr, tuple[int, int]]] = {}
    for node in walk(function):
        if isinstance(node, ast.Name):
            where = (node.lineno, node.col_offset)
            if isinstance(node.ctx, ast.Load):
                reads[node.id] += 1
                first_read[node.id] = min(first_read.get(node.id, where), where)
            else:
                bindings[node.id] += 1
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if len(targets) == 1 and isinstance(targets[0], ast.Name):
                candidates[targets[0].id] = (node.value, (node.lineno, node.col_offset))
        for name in _bound_names(node):
            bindings[name] += 2  # never an alias: a parameter, global, import, def...
    found: dict[str, Alias] = {}
    for name, (value, where) in candidates.items():
        if bindings[name] != 1 or first_read.get(name, (1 << 30, 0)) < where:
            continue
        expr = to_expr(value)
        if isinstance(expr, (Str, Dotted)):
            found[name] = Alias(expr, reads[name], where[0])
    return found


def aliases_in_code(code: str) -> dict[str, Alias]:
    """``local_aliases`` of the one function in ``code`` (a function's source); {} if it does not parse."""
    try:
        tree = parse_python(code)
    except (SyntaxError, ValueError):
        return {}
    return local_aliases(tree.body[0]) if tree.body else {}


def alias_candidates(shape: CallShape, known: set[str]) -> bool:
    """Does the call pass a bare local name (not a module-level name) that could be an alias?"""
    return bool(bare_names(shape, known))


def bare_names(shape: CallShape, known: set[str]) -> set[str]:
    """The bare local names (not module-level names) the call passes: those that could be aliases."""
    values = [*shape.args, *(value for _, value in shape.keywords)]
    return {
        value.parts[0]
        for value in values
        if isinstance(value, Dotted) and len(value.parts) == 1 and value.parts[0] not in known
    }


def substitute(shape: CallShape, aliases: dict[str, Alias]) -> tuple[CallShape, set[str]]:
    """The call with every bare alias argument replaced by its value, and the aliases used."""
    used: set[str] = set()

    def swap(value: Expr) -> Expr:
        if isinstance(value, Dotted) and len(value.parts) == 1 and value.parts[0] in aliases:
            used.add(value.parts[0])
            return aliases[value.parts[0]].value
        return value

    args = tuple(swap(value) for value in shape.args)
    keywords = tuple((keyword, swap(value)) for keyword, value in shape.keywords)
    if not used:
        return shape, used
    return replace(shape, args=args, keywords=keywords), used


class FunctionAliases:
    """Aliases of the innermost function around a line, computed only for functions that need them."""

    def __init__(self, tree: ast.Module) -> None:
        self._statements = tree.body
        self._starts = [statement.lineno for statement in tree.body]
        self._innermost: dict[int, ast.AST] = {}
        self._mapped: set[int] = set()  # top-level statements whose functions are in _innermost
        self._cache: dict[int, dict[str, Alias]] = {}

    def _map(self, line: int) -> None:
        """Line -> innermost function, for the top-level statement holding ``line`` only: walking
        the whole module for one call costs more than the scan of a large file."""
        position = bisect.bisect_right(self._starts, line) - 1
        if position < 0 or position in self._mapped:
            return
        self._mapped.add(position)
        spans = sorted(
            (
                (node.lineno, node.end_lineno or node.lineno, node)
                for node in walk(self._statements[position])
                if isinstance(node, _FUNCTIONS)
            ),
            key=lambda span: span[0],
        )
        for start, end, node in spans:  # a later start is a nested function
            for number in range(start, end + 1):
                self._innermost[number] = node

    def at(self, line: int) -> dict[str, Alias]:
        self._map(line)
        function = self._innermost.get(line)
        if function is None:
            return {}
        if id(function) not in self._cache:
            self._cache[id(function)] = local_aliases(function)
        return self._cache[id(function)]
