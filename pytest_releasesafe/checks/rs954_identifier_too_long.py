"""An identifier longer than the database allows (Postgres truncates it to 63 bytes)."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration, Operation

CODE = "RS954"


def _limit(dialect: str) -> tuple[int, str]:
    # Postgres: NAMEDATALEN - 1 = 63 bytes; MySQL/MariaDB: 64 characters.
    return (64, "characters") if dialect == "mysql" else (63, "bytes")


def _names(op: Operation) -> Iterator[str]:
    for value in (op.table, op.new_name, op.column, op.index, op.constraint, op.object_name, *op.columns):
        if value:
            yield value
    for column_def in op.get("column_defs") or ():
        yield column_def[0]


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    limit, unit = _limit(ctx.dialect)
    for op in ctx.ops(migration):
        for name in dict.fromkeys(_names(op)):
            size = len(name) if unit == "characters" else len(name.encode("utf-8"))
            if size > limit:
                yield hit(
                    op,
                    name=name,
                    size=size,
                    limit=limit,
                    unit=unit,
                    truncated=name.encode("utf-8")[:limit].decode("utf-8", "ignore"),
                )
