"""ALTER TABLE operations that cannot run INSTANT (or in place without a rebuild) on the target server."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.mysql_ddl import COPY, alter_verdict, options, server
from pytest_releasesafe.checks.statement_parts import alter_action
from pytest_releasesafe.model import Migration

CODE = "RS903"


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    srv = server(ctx.target_version)
    for op in ctx.ops(migration):
        if op.table_is_new or options(op).get("ALGORITHM") in ("INSTANT", "INPLACE"):
            continue  # a stated ALGORITHM makes the server refuse rather than fall back to a copy
        verdict = alter_verdict(op, srv)
        if verdict is None:
            continue
        # A certain copy blocks writes: an error. A rebuild (or a version-dependent case) is a warning.
        certain_copy = verdict.algorithm == COPY and verdict.certain and srv.known
        severity = "error" if certain_copy else "warning"
        blocked = "blocks every write to" if verdict.algorithm == COPY else "rewrites every row of"
        yield hit(
            op,
            severity=severity,
            algorithm=verdict.algorithm,
            reason=verdict.reason,
            server=srv.label,
            blocked=blocked,
            change=alter_action(op, ctx.dialect),
        )
