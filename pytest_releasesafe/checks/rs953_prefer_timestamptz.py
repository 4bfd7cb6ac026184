"""timestamp without time zone for a new column."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.style import column_defs, is_timestamp_without_time_zone
from pytest_releasesafe.model import Migration

CODE = "RS953"


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for col in column_defs(migration, ctx):
        if is_timestamp_without_time_zone(col.type):
            yield hit(col.op, table=col.table, column=col.name, type=col.type)
    for op in ctx.ops(migration, m.ALTER_COLUMN_TYPE):
        if is_timestamp_without_time_zone(op.type):
            yield hit(op)
