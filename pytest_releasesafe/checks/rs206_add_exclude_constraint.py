"""ADD CONSTRAINT ... EXCLUDE on an existing table: no concurrent or NOT VALID form exists."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS206"
KINDS = frozenset({m.ADD_CONSTRAINT})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.ADD_CONSTRAINT):
        if op.table_is_new or op.constraint_type != "exclude":
            continue
        yield hit(op, constraint=op.constraint or f"{op.table}_excl")
