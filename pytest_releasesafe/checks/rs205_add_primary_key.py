"""ADD PRIMARY KEY on an existing table: index build (and NOT NULL scan) under ACCESS EXCLUSIVE."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.statement_parts import default_name
from pytest_releasesafe.model import Migration

CODE = "RS205"
KINDS = frozenset({m.ADD_COLUMN, m.ADD_CONSTRAINT})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.ADD_CONSTRAINT, m.ADD_COLUMN):
        if op.table_is_new:
            continue
        if op.kind == m.ADD_COLUMN:
            if op.get("primary_key"):  # ADD COLUMN ... PRIMARY KEY builds the key's index under the same lock
                name = default_name(op, "pkey", with_columns=False)
                yield hit(op, constraint=name, index=name and f"{name}_idx")
            continue
        if op.constraint_type != "primary_key" or op.get("using_index"):
            continue
        constraint = op.constraint or default_name(op, "pkey", with_columns=False)
        yield hit(op, constraint=constraint, index=constraint and f"{constraint}_idx")
