"""CREATE INDEX without CONCURRENTLY on a table that already exists."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS101"
KINDS = frozenset({m.CREATE_INDEX})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.CREATE_INDEX):
        if op.table_is_new or op.concurrently is True:
            continue
        index = op.index
        if index is None and op.source == "sql" and op.table and op.columns:
            # `CREATE INDEX ON t (a)`: the name Postgres will give it. An Alembic name we could
            # not resolve stays unknown (shown as <index>) rather than made up.
            index = f"{op.table}_{'_'.join(op.columns)}_idx"
        # concurrently None: a **kwargs or computed flag we cannot read; say so rather than assume.
        severity = "warning" if op.concurrently is None else None
        yield hit(
            op, severity=severity, index=index, index_sql=concurrent_sql(op), call_py=concurrent_call(op)
        )


def concurrent_sql(op: m.Operation) -> str | None:
    """The user's CREATE INDEX with CONCURRENTLY added: USING, DESC, INCLUDE, WHERE… all kept."""
    sql = " ".join((op.sql or "").split()).rstrip(";")
    concurrent, count = re.subn(
        r"^(CREATE\s+(?:UNIQUE\s+)?INDEX)\s+", r"\1 CONCURRENTLY ", sql, count=1, flags=re.I
    )
    return concurrent if count else None


def concurrent_call(op: m.Operation) -> str | None:
    """The user's op.create_index(...) call with postgresql_concurrently=True, its other arguments kept."""
    call = op.get("call_source")
    if not call or not call.endswith(")"):
        return None
    if "postgresql_concurrently=" in call:
        return re.sub(r"postgresql_concurrently=[^,)]+", "postgresql_concurrently=True", call)
    return call[:-1] + (", " if not call.endswith("()") else "") + "postgresql_concurrently=True)"
