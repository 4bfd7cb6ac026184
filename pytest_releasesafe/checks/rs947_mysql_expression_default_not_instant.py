"""MySQL/MariaDB ADD COLUMN whose expression default is computed per row: no INSTANT, a table copy."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.mysql_ddl import server
from pytest_releasesafe.model import Migration, Operation

CODE = "RS947"

# Functions that give each row its own value (measured on MariaDB 10.11: these force ALGORITHM=COPY).
# sqlglot renders MySQL's UUID() in Postgres spelling when it rewrites the default.
_PER_ROW_FUNCTIONS = {"uuid", "uuid_short", "sys_guid", "gen_random_uuid"}
# Words in an expression default that are neither functions nor columns.
_NOT_COLUMNS = {
    "null", "true", "false", "current_timestamp", "current_date", "current_time", "localtime",
    "localtimestamp", "utc_timestamp", "utc_date", "interval", "day", "hour", "minute", "second",
    "month", "year", "week", "and", "or", "not", "is", "in", "case", "when", "then", "else", "end",
    "as", "char", "signed", "unsigned", "binary", "json", "date", "datetime", "time", "decimal",
}  # fmt: skip
_DEFAULT = re.compile(r"\bDEFAULT\s*\(", re.IGNORECASE)
_STRING = re.compile(r"'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.)*\"")
_WORD = re.compile(r"`([^`]+)`|([A-Za-z_][A-Za-z0-9_]*)(\s*\()?")


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    srv = server(ctx.target_version)
    severity = None if srv.mariadb else "warning"
    for op in ctx.ops(migration, m.ADD_COLUMN):
        if op.table_is_new:
            continue
        expression = _expression_default(op)
        reason = _per_row_reason(expression) if expression else None
        if reason is None:
            continue
        assert expression is not None  # a reason is only found for an expression
        yield hit(
            op,
            severity=severity,
            default=expression,
            default_value=expression[1:-1].strip(),
            reason=reason,
            server=srv.label,
            type=_type_text(op) or op.type or "<type>",
        )


def _expression_default(op: Operation) -> str | None:
    """`(expr)` as the user wrote it after the column's DEFAULT, parentheses balanced."""
    sql = op.sql or ""
    start = _column_start(sql, op.column)
    match = _DEFAULT.search(sql, start)
    if match is None:
        return None
    depth, begin = 0, match.end() - 1
    for k in range(begin, len(sql)):
        depth += {"(": 1, ")": -1}.get(sql[k], 0)
        if depth == 0:
            return sql[begin : k + 1]
    return None


def _column_start(sql: str, column: str | None) -> int:
    if not column:
        return 0
    found = re.search(rf"\bADD\s+(?:COLUMN\s+)?`?{re.escape(column)}`?\s", sql, re.IGNORECASE)
    return found.start() if found else 0


def _type_text(op: Operation) -> str | None:
    sql = op.sql or ""
    found = re.search(
        rf"\bADD\s+(?:COLUMN\s+)?`?{re.escape(op.column or '')}`?\s+(?P<type>[A-Za-z]+(?:\s*\([^)]*\))?)",
        sql,
        re.IGNORECASE,
    )
    return found.group("type") if found else None


def _per_row_reason(expression: str) -> str | None:
    text = _STRING.sub("''", expression)
    for match in _WORD.finditer(text):
        quoted, word, call = match.groups()
        if quoted:
            return f"it reads the column {quoted} of each row"
        name = word.lower()
        if call:
            if name in _PER_ROW_FUNCTIONS:
                return f"{word}() gives every row its own value"
            continue
        if name not in _NOT_COLUMNS:
            return f"it reads the column {word} of each row"
    return None
