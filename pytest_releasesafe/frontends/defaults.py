"""Is a column default volatile (evaluated per row, forcing a table rewrite on ADD COLUMN)?

Postgres ≥ 11 stores a non-volatile ADD COLUMN default in the catalog and rewrites nothing; a
volatile one (random(), clock_timestamp(), gen_random_uuid(), nextval()…) is evaluated for every
existing row, which rewrites the table under an ACCESS EXCLUSIVE lock. The function lists come from
`pg_proc.provolatile` (see facts/); an unknown function is treated as volatile: never assumed safe.
"""

from __future__ import annotations

import re

from pytest_releasesafe.facts import pg_function_accepts, pg_function_volatility

_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\s*\(")
# SQL keywords that look like calls or are special value functions (stable, never volatile).
_NOT_FUNCTIONS = {
    "cast",
    "coalesce",
    "nullif",
    "greatest",
    "least",
    "array",
    "row",
    "interval",
    "timestamp",
    "date",
    "time",
    "numeric",
    "decimal",
    "varchar",
    "char",
    "character",
    "bit",
    "any",
    "in",
}
_QUOTED = re.compile(r"'(?:[^']|'')*'")


def default_is_volatile(default_sql: str | None) -> bool | None:
    """True: volatile; False: constant or stable; None: no default, or a call no built-in signature
    accepts (`now(123)`): unknown, never judged by the function's name alone."""
    if default_sql is None:
        return None
    text = _QUOTED.sub("''", default_sql)
    for match in _CALL.finditer(text):
        name = match.group(1).lower().rsplit(".", 1)[-1]
        if name in _NOT_FUNCTIONS:
            continue
        if pg_function_accepts(name, _argument_count(text, match.end())) is False:
            return None
        volatility = pg_function_volatility(name)
        if volatility != "s" and volatility != "i":
            return True  # volatile, or unknown: never assume safe
    return False


def _argument_count(text: str, start: int) -> int:
    """Top-level arguments of the call whose `(` ends just before `start` (string literals blanked)."""
    depth, count, seen = 1, 0, False
    for char in text[start:]:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                break
        elif char == "," and depth == 1:
            count += 1
        if not char.isspace() and depth >= 1:
            seen = True
    return count + 1 if seen else 0
