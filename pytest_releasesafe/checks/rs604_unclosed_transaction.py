"""BEGIN with no COMMIT (or ROLLBACK) before the end of the file."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS604"


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    if next(ctx.ops(migration, m.BEGIN), None) is None:
        return
    open_begin = None
    for op in ctx.ops(migration, m.BEGIN, m.COMMIT, m.ROLLBACK):
        open_begin = op if op.kind == m.BEGIN else None
    if open_begin is not None and migration.facts.get("unclosed_transaction", True):
        yield hit(open_begin)
