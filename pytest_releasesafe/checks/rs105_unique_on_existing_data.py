"""A unique index, unique constraint or primary key built over rows that already exist."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.statement_parts import default_name, known_columns
from pytest_releasesafe.model import Migration

CODE = "RS105"
KINDS = frozenset({m.ADD_CONSTRAINT, m.CREATE_INDEX})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.CREATE_INDEX, m.ADD_CONSTRAINT):
        if op.table_is_new:
            continue
        if op.kind == m.CREATE_INDEX and not op.unique:
            continue
        if op.kind == m.ADD_CONSTRAINT and (
            op.constraint_type not in ("unique", "primary_key") or op.get("using_index")
        ):
            continue  # USING INDEX reuses an index that already proved the rows unique
        columns = ", ".join(known_columns(op) or ()) or None
        kind = (
            "primary key"
            if op.constraint_type == "primary_key"
            else "unique index"
            if op.kind == m.CREATE_INDEX
            else "unique constraint"
        )
        unnamed = (
            default_name(op, "pkey", with_columns=False) if kind == "primary key" else default_name(op, "key")
        )
        yield hit(op, kind=kind, columns=columns, name=op.index or op.constraint or unnamed)
