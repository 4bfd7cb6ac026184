"""An explicit LOCK TABLE in a migration."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS601"
KINDS = frozenset({m.LOCK_TABLE})  # the engine skips this check when none occur

# Modes that do not block plain reads and writes of other sessions.
_HARMLESS_MODES = {"ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE"}


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.LOCK_TABLE):
        mode = str(op.get("mode") or "ACCESS EXCLUSIVE").upper()
        if op.table_is_new or mode in _HARMLESS_MODES:
            continue
        blocked = "reads and writes" if mode == "ACCESS EXCLUSIVE" else "writes"
        yield hit(op, mode=mode, blocked=blocked)
