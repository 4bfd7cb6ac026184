"""Reading a column type as the target dialect sees it, and whether a type change only widens it.

SQLAlchemy types are often written per dialect: `sa.Text().with_variant(MEDIUMTEXT, "mysql")` is
`text` on Postgres and MEDIUMTEXT on MySQL. A widening keeps every stored value as it is and the
previous release reads and writes the column as before (`varchar(250) -> varchar(5000)`,
`TEXT -> MEDIUMTEXT`, `int -> bigint`), so undoing it is not needed for a rollback.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from pytest_releasesafe import type_changes as tc
from pytest_releasesafe.frontends import fast_unparse


def for_dialect(source: str | None, dialect: str) -> str | None:
    """The SQLAlchemy type the dialect uses: the `.with_variant(T, dialect)` for it, else the base
    type (`sa.Text().with_variant(MEDIUMTEXT, "mysql")` is `sa.Text()` on Postgres)."""
    if not source or "with_variant" not in source:
        return source
    try:
        node = ast.parse(source.strip(), mode="eval").body
    except SyntaxError:
        return source
    while (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "with_variant"
    ):
        names = [a.value for a in node.args[1:] if isinstance(a, ast.Constant)]
        for element in node.args[1:]:
            if isinstance(element, (ast.List, ast.Tuple)):
                names += [e.value for e in element.elts if isinstance(e, ast.Constant)]
        if node.args and dialect in names:
            return fast_unparse.unparse(node.args[0])
        node = node.func.value
    return fast_unparse.unparse(node)


@dataclass(frozen=True)
class Size:
    """A type as a family and how much it holds (None: unbounded)."""

    family: str
    capacity: float | None
    scale: int = 0


_MYSQL_TEXTS = {"TINYTEXT": 255, "TEXT": 65535, "MEDIUMTEXT": 2**24 - 1, "LONGTEXT": 2**32 - 1}
_INTEGERS = {"int2": 2, "int4": 4, "int8": 8}
_FLOATS = {"float4": 4, "float8": 8}
_STRINGS = {"varchar", "text"}


def size(source: str | None, type_source: str, dialect: str) -> Size | None:
    """The type written as `source` (SQLAlchemy source when `type_source` is "alembic", else SQL)."""
    if not source:
        return None
    if type_source == "alembic":
        source = for_dialect(source, dialect)
    bare = (source or "").strip().rstrip("()").rsplit(".", 1)[-1].upper()
    if bare in _MYSQL_TEXTS:
        return Size("string", _MYSQL_TEXTS[bare] if dialect == "mysql" else None)
    parsed = tc.parse_sqlalchemy_type(source) if type_source == "alembic" else None
    parsed = parsed or tc.parse_sql_type(source)
    if parsed is None:
        return None
    if parsed.name in _STRINGS:
        if parsed.modifiers:
            return Size("string", parsed.modifiers[0])
        unbounded = dialect != "mysql" or parsed.name == "varchar"
        return Size("string", None if unbounded else _MYSQL_TEXTS["TEXT"])
    if parsed.name in _INTEGERS:
        return Size("integer", _INTEGERS[parsed.name])
    if parsed.name in _FLOATS:
        return Size("float", _FLOATS[parsed.name])
    if parsed.name == "numeric":
        if not parsed.modifiers:
            return Size("numeric", None)
        return Size("numeric", parsed.modifiers[0], parsed.modifiers[1] if len(parsed.modifiers) > 1 else 0)
    return None


def widens(old: Size | None, new: Size | None) -> bool:
    """Every value of the old type fits the new one unchanged (same family, no less room)."""
    if old is None or new is None or old.family != new.family or old.scale != new.scale:
        return False
    if new.capacity is None:
        return True
    return old.capacity is not None and new.capacity >= old.capacity
