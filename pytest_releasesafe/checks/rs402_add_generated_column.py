"""Adding a serial, identity or stored generated column to an existing table: a full rewrite."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.statement_parts import parenthesised_after
from pytest_releasesafe.model import Migration

CODE = "RS402"
KINDS = frozenset({m.ADD_COLUMN})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.ADD_COLUMN):
        if op.table_is_new:
            continue
        if op.get("serial"):
            kind = "serial"
        elif op.get("identity"):
            kind = "identity"
        elif op.get("generated_stored"):
            kind = "stored generated"
        else:
            continue
        if kind != "stored generated":
            yield hit(op, kind=kind, type=op.type)
            continue
        # A generated value has no sequence: the advice fills the column from its own expression.
        expression = op.get("generated_expression") or (
            parenthesised_after(op.sql, r"GENERATED\s+ALWAYS\s+AS") if op.sql else None
        )
        yield hit(op, kind=kind, type=op.type, variant="generated", expression=expression)
