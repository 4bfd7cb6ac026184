"""MySQL/MariaDB MODIFY / CHANGE COLUMN that changes the type: a full table copy."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.mysql_ddl import options, server
from pytest_releasesafe.model import Migration, Operation

CODE = "RS901"

_TYPE = re.compile(
    r"^(?:sa\.|sqlalchemy\.|mysql\.)?([a-z_ ]+?)\s*(?:\(\s*(\d+)[^)]*\))?((?:\s+(?:unsigned|zerofill))*)$",
    re.IGNORECASE,
)
_VARCHAR = {"varchar", "string", "unicode", "character varying", "nvarchar"}
UTF8MB4_BYTES = 4  # MySQL 8's default character set: 4 bytes per character


def _parse(type_sql: str | None) -> tuple[str, int | None] | None:
    text = (type_sql or "").strip()
    text = text[:-2] if text.endswith("()") else text  # sa.Integer() -> sa.Integer
    match = _TYPE.match(text)
    if not match:
        return None
    base = match.group(1).lower().strip()
    base = "varchar" if base in _VARCHAR else base
    base = " ".join([base, *match.group(3).lower().split()])  # `BIGINT(20) UNSIGNED`: part of the type
    return base, int(match.group(2)) if match.group(2) else None


_ENUM = re.compile(r"^(?:\w+\.)*enum\s*\((.*)\)$", re.IGNORECASE)


def _enum_members(type_sql: str | None) -> list[str] | None:
    """`ENUM('a', 'b')` / `mysql.ENUM(a,b)` -> ['a', 'b']; None for any other type."""
    match = _ENUM.match((type_sql or "").strip())
    if match is None:
        return None
    return [member.strip().strip("'\"") for member in match.group(1).split(",") if member.strip()]


def in_place(old: str | None, new: str | None) -> bool | None:
    """True: no type change, or a VARCHAR widening MySQL does in place; False: a copy; None: unknown."""
    old_members, new_members = _enum_members(old), _enum_members(new)
    if old_members is not None and new_members is not None:
        # Values appended at the end of an ENUM (still under 256 of them) only change metadata.
        return new_members[: len(old_members)] == old_members and len(new_members) < 256
    before, after = _parse(old), _parse(new)
    if before is None or after is None:
        return None
    if before == after:
        return True  # the statement restates the type (changes NULL/DEFAULT only)
    if before[0] == after[0] == "varchar" and before[1] and after[1] and after[1] >= before[1]:
        # In place only while the length prefix keeps its size (1 byte up to 255 bytes).
        return (before[1] * UTF8MB4_BYTES > 255) == (after[1] * UTF8MB4_BYTES > 255)
    return False


def _catalogue_type(op: Operation, ctx: CheckContext) -> str | None:
    """The column's type as the replayed history left it (None: the history does not say)."""
    column = ctx.column_before(op)
    return column.type if column is not None else None


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    ops = list(ctx.ops(migration))
    renamed_at = {(op.location.line, op.location.column) for op in ops if op.kind == m.RENAME_COLUMN}
    srv = server(ctx.target_version)
    for op in ops:
        if op.kind != m.ALTER_COLUMN_TYPE or op.table_is_new:
            continue
        if options(op).get("ALGORITHM") in ("INPLACE", "INSTANT"):
            continue  # the server refuses the statement rather than copy: safe by construction
        verdict = in_place(op.old_type or _catalogue_type(op, ctx), op.type)
        if verdict is True:
            continue
        if verdict is None and (op.location.line, op.location.column) in renamed_at:
            continue  # CHANGE COLUMN old new <type>: a rename (RS501) that restates the type
        if verdict is False:
            yield hit(op, type=op.type, effect=f"makes {srv.label} copy {op.qualified_table} row by row")
            continue
        # Without the old type we cannot tell a real change from a restated one.
        effect = f"makes {srv.label} copy the table if the type really changes (the old type is not stated)"
        if (op.type or "").upper().startswith(("ENUM", "SET")):
            effect += "; only appending values at the end of the list is instant"
        yield hit(op, severity="warning", type=op.type, effect=effect)
