"""ADD COLUMN with a default evaluated per row (or any default before PG 11): a table rewrite."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS303"


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.ADD_COLUMN):
        if op.table_is_new or op.has_default is False:
            continue
        if op.get("serial") or op.get("identity") or op.get("generated_stored"):
            continue  # judged by the generated-column rule
        default = (op.default_sql or "").strip()
        if op.has_default and default.upper() == "NULL":
            continue
        if op.has_default is None or (op.has_default and not default):
            yield hit(
                op,
                severity="warning",
                default="a default the linter cannot read",
                reason="it may be volatile",
            )
        elif ctx.target_version <= 10:
            yield hit(
                op,
                reason=f"Postgres {ctx.target_version} (before 11) rewrites for any default",
            )
        elif op.default_volatile is True:
            yield hit(op, reason="the default is volatile, so it is evaluated for every existing row")
        elif op.default_volatile is None:
            yield hit(op, severity="warning", reason="the linter cannot tell whether the default is volatile")
