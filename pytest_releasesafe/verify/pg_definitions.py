"""Reading back the definitions PostgreSQL prints for its own objects (`format_type`,
`pg_get_constraintdef`, `pg_get_indexdef`, `quote_literal`), as the schema snapshot holds them.

Each reader understands the usual forms and returns None for anything else: the caller then asks
the database (SQLAlchemy's reflection) instead of guessing. Types are read into the classes
SQLAlchemy's own PostgreSQL reflection gives for the same `format_type` text, with the same
arguments, so generated rows do not depend on which of the two built a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects.postgresql import ARRAY, ENUM, INTERVAL
from sqlalchemy.dialects.postgresql import base as pg
from sqlalchemy.types import TypeEngine

# An identifier as quote_ident() prints it: bare when it needs no quotes, else in double quotes
# with inner quotes doubled.
_IDENTIFIER = re.compile(r'"((?:[^"]|"")+)"|([a-z_][a-z0-9_]*)')


def identifier_at(text: str, position: int) -> tuple[str, int] | None:
    """The identifier starting at `position` and the position after it."""
    found = _IDENTIFIER.match(text, position)
    if found is None:
        return None
    quoted, bare = found.groups()
    return (quoted.replace('""', '"') if quoted is not None else bare), found.end()


def identifier_list(text: str) -> list[str] | None:
    """`a, "B c", d` as names; None unless the whole text is such a list."""
    names: list[str] = []
    position = 0
    while True:
        found = identifier_at(text, position)
        if found is None:
            return None
        name, position = found
        names.append(name)
        if position == len(text):
            return names
        if not text.startswith(", ", position):
            return None
        position += 2


def _bare_or_quoted(name: str) -> str:
    """`name` as PostgreSQL prints it in a definition (quoted unless plain lower-case)."""
    if re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        return name
    return '"' + name.replace('"', '""') + '"'


def _quoted_end(text: str, index: int) -> int | None:
    """Index of the quote closing the one at `index` (a doubled quote stays inside)."""
    quote = text[index]
    end = text.find(quote, index + 1)
    while end != -1 and text[end + 1 : end + 2] == quote:
        end = text.find(quote, end + 2)
    return None if end == -1 else end


def _closing(text: str, opening: int) -> int | None:
    """Index of the parenthesis closing the one at `opening`, minding quoted text."""
    depth = 0
    index = opening
    while index < len(text):
        char = text[index]
        if char in "'\"":
            end = _quoted_end(text, index)
            if end is None:
                return None
            index = end
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def _top_level_items(text: str) -> list[str] | None:
    """`a, f(b, c), d` split at the commas outside parentheses and quotes."""
    items, start, index = [], 0, 0
    while index < len(text):
        char = text[index]
        end: int | None = index
        if char in "'\"":
            end = _quoted_end(text, index)
        elif char == "(":
            end = _closing(text, index)
        elif char == ",":
            items.append(text[start:index].strip())
            start = index + 1
        if end is None:
            return None
        index = end + 1
    items.append(text[start:].strip())
    return items


@dataclass(frozen=True)
class ForeignKey:
    columns: list[str]
    referred_table: str
    referred_columns: list[str]


_FOREIGN_KEY = re.compile(r"FOREIGN KEY \((?P<columns>[^)]*)\) REFERENCES ", re.DOTALL)
# What may follow the referenced columns: how the key matches and acts, never which rows it admits.
_FOREIGN_KEY_TAIL = re.compile(
    r"( MATCH (FULL|PARTIAL|SIMPLE))?"
    r"( ON UPDATE (CASCADE|RESTRICT|SET NULL|SET DEFAULT|NO ACTION)( \([^)]*\))?)?"
    r"( ON DELETE (CASCADE|RESTRICT|SET NULL|SET DEFAULT|NO ACTION)( \([^)]*\))?)?"
    r"( DEFERRABLE| NOT DEFERRABLE)?( INITIALLY (DEFERRED|IMMEDIATE))?( NOT VALID)?"
)


def foreign_key(definition: str) -> ForeignKey | None:
    """`FOREIGN KEY (a) REFERENCES t(id) ON DELETE CASCADE`; None for a table in another schema
    (printed qualified) or any form not listed here."""
    head = _FOREIGN_KEY.match(definition)
    if head is None:
        return None
    columns = identifier_list(head.group("columns"))
    found = identifier_at(definition, head.end())
    if columns is None or found is None:
        return None
    table, position = found
    if not definition.startswith("(", position):
        return None  # "schema.table": not a table of the default schema
    end = definition.find(")", position)
    referred = identifier_list(definition[position + 1 : end]) if end != -1 else None
    if referred is None or len(referred) != len(columns):
        return None
    if _FOREIGN_KEY_TAIL.fullmatch(definition[end + 1 :]) is None:
        return None
    return ForeignKey(columns, table, referred)


def primary_key(shape: str) -> list[str] | None:
    """The columns of the snapshot's "<name> PRIMARY KEY (a, b)"; [] when there is none."""
    if not shape:
        return []
    found = re.fullmatch(
        r"(?s).*? PRIMARY KEY \(([^)]*)\)( DEFERRABLE( INITIALLY (DEFERRED|IMMEDIATE))?)?", shape
    )
    return identifier_list(found.group(1)) if found else None


def unique_key(definition: str) -> list[str] | None:
    """The key columns of `UNIQUE [NULLS NOT DISTINCT] (a, b) [INCLUDE (c)] ...`."""
    found = re.match(r"UNIQUE (NULLS NOT DISTINCT )?\(([^)]*)\)", definition)
    return identifier_list(found.group(2)) if found else None


def unique_index_key(definition: str) -> list[str] | None | bool:
    """For `CREATE UNIQUE INDEX name ON schema.table USING method (a, b) ...`: its key columns;
    False for an index that is not unique or has an expression among its keys (no key of plain
    columns, as in reflection); None if unreadable."""
    unique = definition.startswith("CREATE UNIQUE INDEX ")
    if not unique:
        return False if definition.startswith("CREATE INDEX ") else None
    found = identifier_at(definition, len("CREATE UNIQUE INDEX "))
    if found is None or not definition.startswith(" ON ", found[1]):
        return None
    position = found[1] + len(" ON ")
    if definition.startswith("ONLY ", position):
        position += len("ONLY ")
    for part in ("schema", "table"):
        found = identifier_at(definition, position)
        if found is None:
            return None
        position = found[1]
        if part == "schema":
            if not definition.startswith(".", position):
                return None
            position += 1
    using = re.compile(r" USING [a-z_][a-z0-9_]* \(").match(definition, position)
    if using is None:
        return None
    opening = using.end() - 1
    closing = _closing(definition, opening)
    elements = _top_level_items(definition[opening + 1 : closing]) if closing is not None else None
    if not elements:
        return None
    columns = []
    for element in elements:
        found = identifier_at(element, 0)
        if found is None or element.startswith("("):
            return False  # an expression: reflection gives no column for it either
        name, position = found
        if element[position : position + 1] == "(":
            return False  # a function call
        if position != len(element) and element[position] != " ":
            return None
        columns.append(name)
    return columns


def check_text(definition: str) -> str | None:
    """The condition of `CHECK (...)` [NO INHERIT] [NOT VALID], without the outer parentheses."""
    found = re.fullmatch(r"(?s)CHECK \((.*)\)( NO INHERIT)?( NOT VALID)?", definition)
    if found is None:
        return None
    condition = found.group(1)
    if condition.startswith("(") and _closing(condition, 0) == len(condition) - 1:
        condition = condition[1:-1]
    return condition


def enum_labels(definition: str | None) -> list[str] | None:
    """The labels of the snapshot's "enum ('a', 'b')" (each printed by quote_literal())."""
    if not definition or not definition.startswith("enum (") or not definition.endswith(")"):
        return None
    body = definition[len("enum (") : -1]
    labels = []
    for found in re.finditer(r"(E?)'((?:[^']|'')*)'(, |$)", body):
        escaped, label, _ = found.groups()
        label = label.replace("''", "'")
        if escaped:
            label = label.replace("\\\\", "\\")
        labels.append(label)
    rebuilt = ", ".join(_quote_literal(label) for label in labels)
    return labels if labels and rebuilt == body else None


def _quote_literal(value: str) -> str:
    text = "'" + value.replace("'", "''").replace("\\", "\\\\") + "'"
    return ("E" + text) if "\\" in value else text


_ARGUMENTS = re.compile(r"\((.*)\)")
_ARRAY_SUFFIX = re.compile(r"((?:\[\])*)$")


def column_type(format_type: str, enums: dict[str, list[str]]) -> TypeEngine[Any] | None:
    """The SQLAlchemy type reflection gives a column whose format_type() is `format_type`; `enums`:
    the enum types of the current schema by name. None for domains, types of other schemas and
    any type reflection would not recognise either."""
    arguments_found = _ARGUMENTS.search(format_type)
    arguments = (
        re.split(r"\s*,\s*", arguments_found.group(1)) if arguments_found and arguments_found.group(1) else []
    )
    dimensions = len(_ARRAY_SUFFIX.search(format_type).group(1) or "") // 2  # type: ignore[union-attr]
    name = _ARRAY_SUFFIX.sub("", _ARGUMENTS.sub("", format_type))
    known = pg.PGDialect.ischema_names.get(name.lower())
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = {}
    try:
        if name == "numeric":
            if len(arguments) == 2:
                args = tuple(map(int, arguments))
        elif name == "double precision":
            args = (53,)
        elif name == "integer":
            pass
        elif name in ("timestamp with time zone", "time with time zone"):
            kwargs["timezone"] = True
            if len(arguments) == 1:
                kwargs["precision"] = int(arguments[0])
        elif name in ("timestamp without time zone", "time without time zone", "time"):
            kwargs["timezone"] = False
            if len(arguments) == 1:
                kwargs["precision"] = int(arguments[0])
        elif name == "bit varying":
            kwargs["varying"] = True
            if len(arguments) == 1:
                args = (int(arguments[0]),)
        elif name == "interval" or name.startswith("interval "):
            known = INTERVAL
            if name != "interval":
                kwargs["fields"] = name[len("interval ") :]
            if len(arguments) == 1:
                kwargs["precision"] = int(arguments[0])
        elif known is None:
            labels = enums.get(name)
            if labels is None or _bare_or_quoted(name) != name:
                return None  # a domain, a type of another schema, an unknown type
            known, args, kwargs = ENUM, tuple(labels), {"name": name}
        elif arguments:
            try:
                args = (int(arguments[0]), *arguments[1:])
            except ValueError:
                args = tuple(arguments)
    except ValueError:
        return None
    if known is None:
        return None
    result: TypeEngine[Any] = known(*args, **kwargs)
    return ARRAY(result) if dimensions else result
