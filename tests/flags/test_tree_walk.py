"""tree_walk visits what ast.walk visits, in the same order, less the expression contexts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pytest_releasesafe.flags.tree_walk import levels, walk

SOURCES = [
    "import a.b as c\nfrom . import d\n",
    "x = [f(y) for y in z if g(y)]\nx[1:2, ...] = {k: v for k, v in w}\n",
    "@decorate(arg=1)\nclass C(B, metaclass=M):\n    x: int = 1\n    def f(self, *a, b=2, **k):\n"
    "        return lambda q: (yield q)\n",
    "async def f():\n    async with a as (b, c):\n        await d\n    async for e in f:\n        pass\n",
    "match p:\n    case {'k': [1, *rest]} | Point(x=0) as q if q:\n        pass\n    case _:\n        pass\n",
    "try:\n    pass\nexcept* E as e:\n    raise X from e\nfinally:\n    del a.b, c[d]\n",
    "f'{a!r:>{width}}' if (n := 3) else not b and c or d\nglobal g\n",
]


def _expected(tree: ast.AST) -> list[ast.AST]:
    return [node for node in ast.walk(tree) if not isinstance(node, ast.expr_context)]


@pytest.mark.parametrize("source", SOURCES)
def test_same_nodes_in_the_same_order_as_ast_walk(source: str) -> None:
    tree = ast.parse(source)
    assert list(walk(tree)) == _expected(tree)


def test_standard_library_modules_walk_the_same() -> None:
    # Every 20th module of the standard library: the fields tree_walk never reads (identifiers,
    # numbers, strings) must hold no node anywhere in real code.
    for path in sorted(Path(ast.__file__).parent.glob("*.py"))[::20]:
        tree = ast.parse(path.read_text())
        assert list(walk(tree)) == _expected(tree)


def test_depths_are_levels_below_the_root() -> None:
    tree = ast.parse("def f():\n    return g(1)\n")
    depths = {type(node).__name__: depth for depth, level in levels(tree) for node in level}
    assert (depths["Module"], depths["FunctionDef"], depths["Return"], depths["Call"]) == (0, 1, 2, 3)
