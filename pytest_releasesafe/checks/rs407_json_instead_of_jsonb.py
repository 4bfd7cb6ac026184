"""A json column where jsonb is almost always what is wanted."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS407"
KINDS = frozenset(
    {m.ADD_COLUMN, m.ALTER_COLUMN_TYPE, m.CREATE_TABLE}
)  # the engine skips this check when none occur

# `JSON`, `json`, `sa.JSON()`, `postgresql.JSON(none_as_null=True)`; never JSONB.
_JSON = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]*\.)*JSON(?:\(.*\))?$", re.IGNORECASE)


def is_json(type_text: str | None) -> bool:
    return bool(type_text and _JSON.match(type_text.strip()))


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.CREATE_TABLE, m.ADD_COLUMN, m.ALTER_COLUMN_TYPE):
        if op.kind == m.CREATE_TABLE:
            for column in op.get("json_columns") or ():
                yield hit(op, column=column)
        elif is_json(
            op.get("type_source") if op.kind == m.ALTER_COLUMN_TYPE and op.source == "alembic" else op.type
        ):
            yield hit(op)
