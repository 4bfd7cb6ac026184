"""Lock-taking DDL on an existing table with no lock_timeout set."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks import alembic_env
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.locking import lock_mode
from pytest_releasesafe.model import Migration

CODE = "RS602"


def setting_name(dialect: str) -> str:
    # MySQL's metadata-lock wait is bounded by lock_wait_timeout (default: one year).
    return "lock_wait_timeout" if dialect == "mysql" else "lock_timeout"


# SELECT set_config('lock_timeout', '5s', false): the function form of SET.
_SET_CONFIG = re.compile(r"set_config\s*\(\s*'(\w+)'\s*,\s*'([^']*)'", re.IGNORECASE)


def _sets_timeout(op: m.Operation, setting: str) -> bool | None:
    """True: sets a timeout; False: switches it off; None: another setting."""
    if (
        op.kind == m.SELECT
        and (match := _SET_CONFIG.search(op.sql or ""))
        and match.group(1).lower() == setting
    ):
        value = match.group(2).strip().lower()
    elif op.kind == m.SET_SETTING and str(op.get("name") or "").lower() == setting:
        value = str(op.get("value") or "").strip("'\" ").lower()
    else:
        return None
    return not (value.isdigit() and int(value) == 0)


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    options = ctx.options.get(CODE, {})
    setting = setting_name(ctx.dialect)
    if migration.kind == "sql" and options.get("sql", True) is False:
        return
    if migration.kind == "alembic":
        mode = str(options.get("alembic", "env")).lower()
        if mode in ("off", "false", "never"):
            return
        if mode != "always" and alembic_env.sets_lock_timeout(migration.path, setting):
            return  # env.py sets it for every migration
    timeout_set = False
    local = False  # SET LOCAL lasts until the end of its transaction
    phase = None
    for op in ctx.ops(migration):
        if op.phase != phase:  # with --downgrade: downgrade() runs on its own, without upgrade's SET
            phase, timeout_set, local = op.phase, False, False
        sets = _sets_timeout(op, setting)
        if sets is not None:
            if op.get("local") and op.in_transaction is False:
                continue  # SET LOCAL outside a transaction block sets nothing (Postgres only warns)
            timeout_set, local = sets, bool(op.get("local"))
            continue
        if op.kind in (m.COMMIT, m.ROLLBACK) and local:
            timeout_set = local = False
        lock = lock_mode(op, ctx.dialect)
        if lock is None or timeout_set:
            continue
        yield hit(
            op,
            lock=lock,
            setting=setting,
            target=op.qualified_table or op.index or op.object_name or "the table",
        )
        return  # one finding per migration: the first statement that would queue
