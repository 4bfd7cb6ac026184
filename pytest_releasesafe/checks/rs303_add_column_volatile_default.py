"""ADD COLUMN with a default evaluated per row (or any default before PG 11): a table rewrite."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.facts import pg_function_volatility
from pytest_releasesafe.model import Migration

CODE = "RS303"
KINDS = frozenset({m.ADD_COLUMN})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.ADD_COLUMN):
        if op.table_is_new or op.has_default is False:
            continue
        if op.get("serial") or op.get("identity") or op.get("generated_stored"):
            continue  # judged by the generated-column rule
        default = (op.default_sql or "").strip()
        if op.has_default and default.upper() == "NULL":
            continue
        if op.has_default is None or (op.has_default and not default):
            # A default computed in Python: its text is unknown, so no code with it is suggested.
            if op.default_volatile is False and ctx.target_version >= 11:
                continue  # a string literal (`sa.text(f"'{NAME}'")`): a constant, stored in the catalog
            if op.default_volatile is False:
                yield hit(op, variant="unread_before_11", version=ctx.target_version)
            else:
                yield hit(op, severity="warning", variant="unread")
        elif ctx.target_version <= 10:
            yield hit(
                op,
                reason=f"Postgres {ctx.target_version} (before 11) rewrites for any default",
            )
        elif op.default_volatile is True:
            unknown = _unknown_functions(default, ctx.target_version)
            if unknown:
                yield hit(
                    op,
                    severity="warning",
                    reason=f"{unknown[0]}() is not a built-in function: unless it is declared STABLE or IMMUTABLE,"
                    " it is evaluated for every existing row",
                )
            else:
                yield hit(op, reason="the default is volatile, so it is evaluated for every existing row")
        elif op.default_volatile is None:
            yield hit(op, severity="warning", reason="the linter cannot tell whether the default is volatile")


# Volatile functions of common extensions (uuid-ossp, pgcrypto, pg_uuidv7): known, not guessed.
_EXTENSION_VOLATILE = {
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "gen_random_uuid",
    "uuid_generate_v7",
}
_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\s*\(")


def _unknown_functions(default_sql: str, version: int) -> list[str]:
    """Functions called by the default that are neither built in nor well-known extension functions."""
    text = re.sub(r"'(?:[^']|'')*'", "''", default_sql)
    names = [match.group(1).rsplit(".", 1)[-1].lower() for match in _CALL.finditer(text)]
    return [n for n in names if n not in _EXTENSION_VOLATILE and pg_function_volatility(n, version) is None]
