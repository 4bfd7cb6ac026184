"""A 32-bit (or smaller) integer primary key."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.style import column_defs, is_32_bit_or_smaller
from pytest_releasesafe.model import Migration

CODE = "RS951"


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for col in column_defs(migration, ctx):
        if col.primary_key and is_32_bit_or_smaller(col.type):
            yield hit(col.op, table=col.table, column=col.name, type=col.type)
