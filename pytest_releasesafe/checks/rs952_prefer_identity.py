"""serial / bigserial (or an SQLAlchemy autoincrement key that renders as one) instead of an identity column."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.style import base_type, column_defs, is_integer
from pytest_releasesafe.model import Migration

CODE = "RS952"


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for col in column_defs(migration, ctx):
        if col.identity:
            continue
        serial_type = base_type(col.type) in (
            "SERIAL",
            "SERIAL4",
            "BIGSERIAL",
            "SERIAL8",
            "SMALLSERIAL",
            "SERIAL2",
        )
        # SQLAlchemy renders an integer primary key without Identity() as SERIAL on Postgres.
        implicit = (
            col.op.source == "alembic"
            and col.op.kind == m.CREATE_TABLE
            and col.primary_key
            and is_integer(col.type)
        )
        if serial_type or col.serial or implicit:
            yield hit(col.op, table=col.table, column=col.name, type=col.type)
