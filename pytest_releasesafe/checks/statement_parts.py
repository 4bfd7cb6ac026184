"""Pieces of the user's own statement, reused in a finding's advice instead of a stand-in.

Each returns None when the piece cannot be read: the advice then falls back to words.
"""

from __future__ import annotations

import re

from pytest_releasesafe.model import Operation

_ALTER_PREFIX = re.compile(
    r"^\s*ALTER\s+TABLE\s+(?:ONLY\s+)?(?:IF\s+EXISTS\s+)?(?:\"[^\"]+\"|`[^`]+`|[\w.$]+)\s+", re.I | re.S
)


def parenthesised_after(text: str, keyword: str) -> str | None:
    """The text inside the balanced parentheses that follow `keyword` (e.g. CHECK (...))."""
    match = re.search(rf"\b{keyword}\s*\(", text, re.I)
    if match is None:
        return None
    depth, start = 1, match.end()
    for position in range(start, len(text)):
        if text[position] == "(":
            depth += 1
        elif text[position] == ")":
            depth -= 1
            if depth == 0:
                return " ".join(text[start:position].split()) or None
    return None


def check_condition(op: Operation) -> str | None:
    return op.get("condition") or (parenthesised_after(op.sql, "CHECK") if op.sql else None)


def referenced_columns(op: Operation) -> tuple[str, ...]:
    """The referenced columns of a foreign key, as written (empty when not stated)."""
    if op.get("remote_columns"):
        return tuple(op.get("remote_columns"))
    if op.sql:
        match = re.search(r"\bREFERENCES\s+(?:\"[^\"]+\"|`[^`]+`|[\w.$]+)\s*\(([^)]*)\)", op.sql, re.I)
        if match:
            return tuple(c.strip().strip('"`') for c in match.group(1).split(",") if c.strip())
    return ()


_ALGORITHM_OPTIONS = re.compile(r"\s*,?\s*\b(?:ALGORITHM|LOCK)\s*=?\s*\w+", re.I)


def alter_action(op: Operation, dialect: str) -> str | None:
    """The action of an ALTER TABLE statement (`DROP COLUMN c`), from its SQL or its operation, without
    any ALGORITHM= / LOCK= options (the advice states its own). Actions that need a column type are
    rebuilt only from SQL: an Alembic operation's type is SQLAlchemy code, not SQL."""
    if op.sql and _ALTER_PREFIX.match(op.sql):
        action = _ALTER_PREFIX.sub("", op.sql, count=1).strip().rstrip(";").strip()
        action = _ALGORITHM_OPTIONS.sub("", action).strip().strip(",").strip()
        return " ".join(action.split()) or None
    if op.kind == "drop_column" and op.column:
        return f"DROP COLUMN {op.column}"
    if op.kind == "rename_column" and op.column and op.new_name:
        return f"RENAME COLUMN {op.column} TO {op.new_name}"
    if op.kind == "drop_index" and op.index and dialect == "mysql":
        return f"DROP INDEX {op.index}"
    if dialect == "postgresql" and op.column:
        # MySQL restates the whole column (MODIFY c type ...) for these: not rebuilt from the operation.
        if op.kind == "set_not_null":
            return f"ALTER COLUMN {op.column} SET NOT NULL"
        if op.kind == "drop_not_null":
            return f"ALTER COLUMN {op.column} DROP NOT NULL"
        if op.kind == "drop_default":
            return f"ALTER COLUMN {op.column} DROP DEFAULT"
    return None


_SET_CLAUSE = re.compile(r"\bSET\b(.*?)(?:\bWHERE\b(.*?))?(?:\bRETURNING\b.*)?;?\s*$", re.I | re.S)


def update_assignments(op: Operation) -> tuple[str, str | None] | None:
    """(SET clause, WHERE condition or None) of a plain single-table UPDATE written in SQL."""
    sql = (op.sql or "").strip()
    if not re.match(r"UPDATE\s+(?:ONLY\s+)?[\w.\"`]+\s+SET\b", sql, re.I):
        return None  # joins, aliases, ORM updates: not rewritten
    match = _SET_CLAUSE.search(sql)
    if match is None or re.search(r"\bFROM\b", match.group(1), re.I):
        return None
    where = " ".join(match.group(2).split()) if match.group(2) else None
    return " ".join(match.group(1).split()), where


def not_yet_done(assignments: str, dialect: str) -> str | None:
    """A condition true only for rows the SET clause still changes (so a re-run skips done rows)."""
    parts = _split_top_level(assignments)
    tests = []
    for part in parts:
        column, sep, value = part.partition("=")
        if not sep or not re.fullmatch(r"[\w\"`]+", column.strip()):
            return None
        column, value = column.strip(), value.strip()
        tests.append(
            f"NOT ({column} <=> {value})" if dialect == "mysql" else f"{column} IS DISTINCT FROM {value}"
        )
    return " OR ".join(tests) if len(tests) == 1 else "(" + " OR ".join(tests) + ")"


def _split_top_level(text: str) -> list[str]:
    parts, depth, current, quote = [], 0, "", ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += char
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def backfill_values(op: Operation, dialect: str) -> dict[str, str | None]:
    """`change` (the SET clause) and `not_yet_done` (rows it still changes) for a batched backfill
    recipe; None when the statement is not a plain UPDATE we can restate."""
    parts = update_assignments(op)
    if parts is None:
        return {"change": None, "not_yet_done": None}
    assignments, where = parts
    pending = not_yet_done(assignments, dialect)
    if pending is not None and where:
        pending = f"({where}) AND {pending}"
    return {"change": assignments, "not_yet_done": pending}


def known_columns(op: Operation) -> tuple[str, ...] | None:
    """The operation's columns, or None when any of them is computed at run time ("?")."""
    columns = op.columns or ((op.column,) if op.column else ())
    return None if not columns or "?" in columns else tuple(columns)


def default_name(op: Operation, suffix: str, with_columns: bool = True) -> str | None:
    """The name Postgres gives an unnamed constraint (`<table>_<columns>_<suffix>`), or None when
    the table or a column is not known statically: never a made-up `None_…` name."""
    if not op.table:
        return None
    if not with_columns:
        return f"{op.table}_{suffix}"
    columns = known_columns(op)
    return f"{op.table}_{'_'.join(columns)}_{suffix}" if columns else None
