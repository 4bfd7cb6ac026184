"""TRUNCATE of an existing table in a migration."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS520"
KINDS = frozenset({m.TRUNCATE})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.TRUNCATE):
        if op.table_is_new:
            continue
        if op.cascade:
            cascade = "CASCADE also empties every table with a foreign key to it, and theirs in turn."
        else:
            cascade = "A rollback of the code cannot bring the rows back."
        yield hit(op, cascade_note=cascade)
