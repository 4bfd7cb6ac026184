"""ADD CONSTRAINT ... UNIQUE (cols) on an existing table: builds the index under ACCESS EXCLUSIVE."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.statement_parts import default_name
from pytest_releasesafe.model import Migration

CODE = "RS204"
KINDS = frozenset({m.ADD_COLUMN, m.ADD_CONSTRAINT})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.ADD_CONSTRAINT, m.ADD_COLUMN):
        if op.table_is_new:
            continue
        if op.kind == m.ADD_COLUMN:
            if op.get("unique"):  # ADD COLUMN ... UNIQUE builds the same index under the same lock
                constraint = default_name(op, "key")
                yield hit(
                    op,
                    constraint=constraint,
                    index=constraint,
                    columns_sql=op.column,
                    columns_py=f'"{op.column}"',
                )
            continue
        if op.constraint_type != "unique" or op.get("using_index"):
            continue
        constraint = op.constraint or default_name(op, "key")
        index = (f"{constraint}_idx" if op.constraint else constraint) if constraint else None
        yield hit(op, constraint=constraint, index=index)
