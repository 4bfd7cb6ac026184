"""Walks over standard-library trees in ast.walk's order, at about half its cost.

ast.walk builds a generator per node (iter_child_nodes over iter_fields); on a 100k-line file the
scan spends more time walking than parsing. Here each node's fields are read from a per-type
list, and the expression contexts (the Load/Store/Del marker under every name, attribute and
subscript) are left out: no caller looks at them as nodes, they read ``node.ctx`` instead.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

_FIELDS: dict[type, tuple[str, ...]] = {}

# Fields that never hold a node, in the grammar of every Python this runs on (identifiers,
# strings, numbers and flags; lists of identifiers): not read at all. Names and constants, a good
# half of a module's nodes, are left with no field to read.
_NEVER_NODES = frozenset(
    {
        "ctx",  # a node, but one no caller wants (see above)
        "id",
        "attr",
        "arg",
        "name",
        "asname",
        "module",
        "level",
        "kind",
        "type_comment",
        "is_async",
        "conversion",
        "simple",
        "tag",
        "rest",
        "kwd_attrs",
    }
)
_NEVER_NODES_OF: dict[type, frozenset[str]] = {
    ast.Constant: frozenset({"value"}),
    ast.Global: frozenset({"names"}),
    ast.Nonlocal: frozenset({"names"}),
}


def _fields(kind: type) -> tuple[str, ...]:
    fields = _FIELDS.get(kind)
    if fields is None:
        skipped = _NEVER_NODES | _NEVER_NODES_OF.get(kind, frozenset())
        fields = _FIELDS[kind] = tuple(name for name in getattr(kind, "_fields", ()) if name not in skipped)
    return fields


def levels(tree: ast.AST) -> Iterator[tuple[int, list[ast.AST]]]:
    """(depth, the nodes at that depth) from ``tree`` down, each level in ast.walk's order: one
    step of the generator per level, not per node, for callers that loop over many nodes."""
    level, depth = [tree], 0
    known = _FIELDS
    while level:
        yield depth, level
        following: list[ast.AST] = []
        add = following.append
        for node in level:
            kind = type(node)
            for name in known[kind] if kind in known else _fields(kind):
                value = getattr(node, name, None)
                if isinstance(value, list):
                    for item in value:
                        if isinstance(item, ast.AST):
                            add(item)
                elif isinstance(value, ast.AST):
                    add(value)
        level, depth = following, depth + 1


def walk(tree: ast.AST) -> Iterator[ast.AST]:
    """ast.walk(tree) without the expression contexts."""
    for _, level in levels(tree):
        yield from level
