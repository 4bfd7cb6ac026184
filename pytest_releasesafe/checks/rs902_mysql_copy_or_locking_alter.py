"""An ALTER that asks MySQL/MariaDB for ALGORITHM=COPY or LOCK=SHARED/EXCLUSIVE."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.locking import statement_key
from pytest_releasesafe.checks.mysql_ddl import options
from pytest_releasesafe.checks.statement_parts import alter_action
from pytest_releasesafe.model import Migration

CODE = "RS902"


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    seen: set[tuple] = set()
    for op in ctx.ops(migration):
        opts = options(op)
        algorithm, lock = opts.get("ALGORITHM"), opts.get("LOCK")
        asked = [f"{k}={v}" for k, v in (("ALGORITHM", algorithm), ("LOCK", lock)) if (k, v) in _BLOCKING]
        if not asked or op.table_is_new or statement_key(op) in seen:
            continue
        seen.add(statement_key(op))
        blocked = "reads and writes" if lock == "EXCLUSIVE" else "writes"
        yield hit(op, options=", ".join(asked), blocked=blocked, change=alter_action(op, ctx.dialect))


_BLOCKING = {("ALGORITHM", "COPY"), ("LOCK", "SHARED"), ("LOCK", "EXCLUSIVE")}
