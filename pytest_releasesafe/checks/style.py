"""Column definitions (from CREATE TABLE and ADD COLUMN) and type tests for the opt-in style rules.

Types arrive as SQL (`INT`, `TIMESTAMP`) or as the SQLAlchemy expression the migration wrote
(`sa.Integer()`, `sa.DateTime(timezone=True)`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext
from pytest_releasesafe.model import Migration, Operation

_BASE = re.compile(r"^(?:[\w]+\.)*(\w+)")  # sa.types.Integer(...) -> Integer


@dataclass(frozen=True)
class ColumnDef:
    op: Operation
    table: str | None
    name: str
    type: str | None
    primary_key: bool
    identity: bool
    serial: bool


def column_defs(migration: Migration, ctx: CheckContext) -> Iterator[ColumnDef]:
    for op in ctx.ops(migration, m.CREATE_TABLE, m.ADD_COLUMN):
        if op.kind == m.CREATE_TABLE:
            for name, type_, primary_key, identity in op.get("column_defs") or ():
                yield ColumnDef(
                    op, op.qualified_table, name, type_, bool(primary_key), bool(identity), _is_serial(type_)
                )
        elif op.column:
            serial = bool(op.get("serial")) or _is_serial(op.type)
            yield ColumnDef(
                op,
                op.qualified_table,
                op.column,
                op.type,
                bool(op.get("primary_key")),
                bool(op.get("identity")),
                serial,
            )


def base_type(type_text: str | None) -> str:
    match = _BASE.match((type_text or "").strip())
    return match.group(1).upper() if match else ""


def _is_serial(type_text: str | None) -> bool:
    return base_type(type_text) in ("SERIAL", "SERIAL4", "SMALLSERIAL", "SERIAL2")


def is_32_bit_or_smaller(type_text: str | None) -> bool:
    return base_type(type_text) in (
        "INT",
        "INTEGER",
        "INT4",
        "INT2",
        "SMALLINT",
        "SERIAL",
        "SERIAL4",
        "SMALLSERIAL",
        "SERIAL2",
        "SMALLINTEGER",
        "MEDIUMINT",
    )


def is_integer(type_text: str | None) -> bool:
    return is_32_bit_or_smaller(type_text) or base_type(type_text) in (
        "BIGINT",
        "BIGINTEGER",
        "INT8",
        "BIGSERIAL",
        "SERIAL8",
    )


def is_timestamp_without_time_zone(type_text: str | None) -> bool:
    text = (type_text or "").upper()
    base = base_type(type_text)
    if base in ("TIMESTAMPTZ",) or "WITH TIME ZONE" in text or "TIMEZONE=TRUE" in text.replace(" ", ""):
        return False
    return base in ("TIMESTAMP", "DATETIME")
