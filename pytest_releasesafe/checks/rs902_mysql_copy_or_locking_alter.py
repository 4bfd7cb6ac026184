"""An ALTER that asks MySQL/MariaDB for ALGORITHM=COPY or LOCK=SHARED/EXCLUSIVE."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.locking import statement_key
from pytest_releasesafe.checks.mysql_ddl import options
from pytest_releasesafe.checks.rs948_mysql_drop_index_copy_or_lock import index_drop_only, statement_kinds
from pytest_releasesafe.checks.statement_parts import alter_action
from pytest_releasesafe.model import Migration

CODE = "RS902"


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    seen: set[tuple] = set()
    statements: dict[tuple, set[str]] | None = None
    for op in ctx.ops(migration):
        opts = options(op)
        algorithm, lock = opts.get("ALGORITHM"), opts.get("LOCK")
        asked = [f"{k}={v}" for k, v in (("ALGORITHM", algorithm), ("LOCK", lock)) if (k, v) in _BLOCKING]
        if not asked or op.table_is_new or statement_key(op) in seen:
            continue
        if op.kind == m.DROP_INDEX:
            statements = statements if statements is not None else statement_kinds(migration, ctx)
            if index_drop_only(op, statements):
                continue  # a statement that only drops indexes is judged by RS948
        seen.add(statement_key(op))
        blocked = "reads and writes" if lock == "EXCLUSIVE" else "writes"
        yield hit(op, options=", ".join(asked), blocked=blocked, change=alter_action(op, ctx.dialect))


_BLOCKING = {("ALGORITHM", "COPY"), ("LOCK", "SHARED"), ("LOCK", "EXCLUSIVE")}
