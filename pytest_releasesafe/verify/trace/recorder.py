"""Record what each migration statement does, from SQLAlchemy cursor events.

Before a statement: the user relations with their relfilenodes, the relation locks the backend
already holds, and lock_timeout. After it: the same again. Locks held now but not before were taken
by the statement (PostgreSQL keeps relation locks to the end of the transaction, so inside a
transaction this read is exact). Outside a transaction the locks are gone by then, and the
observer's view from a second connection is used instead.
"""

from __future__ import annotations

import re
import threading
import time
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from pytest_releasesafe.verify.trace import catalog
from pytest_releasesafe.verify.trace.catalog import Relation
from pytest_releasesafe.verify.trace.locks import RELKINDS, TABLE_RELKINDS, blocks, strength, worst
from pytest_releasesafe.verify.trace.model import Lock, StatementTrace
from pytest_releasesafe.verify.trace.observer import LockObserver, Observation


class WrongDatabase(Exception):
    """env.py connected somewhere else than the database made for the trace."""


@dataclass
class _Pending:
    sql: str
    relations: dict[int, Relation]
    locks: set[tuple[int, str]]
    lock_timeout: int | None
    watch: AbstractContextManager[Observation] | None
    observation: Observation | None
    started: float


class StatementRecorder:
    """Listens to every SQLAlchemy engine while installed; records statements of the active revision."""

    def __init__(self, database: str, observer: LockObserver) -> None:
        self.database = database
        self.observer = observer
        self.statements: list[StatementTrace] = []
        self.revision: str | None = None
        self.pre_existing: set[int] = set()  # oids of tables that existed when the revision started
        self.version_table = "alembic_version"
        self.failed_sql: str | None = None
        self._pending: _Pending | None = None
        self._checked: dict[
            int, Any
        ] = {}  # id(dbapi connection) -> connection, once its database is known good
        self._pids: dict[int, int] = {}
        self._thread = threading.get_ident()  # Alembic runs the migration on the thread that traces it

    # -- lifetime -------------------------------------------------------------------------------

    def install(self, stack: ExitStack) -> None:
        listeners = (
            ("before_cursor_execute", self._before),
            ("after_cursor_execute", self._after),
            ("handle_error", self._error),
        )
        for name, listener in listeners:
            event.listen(Engine, name, listener)
            stack.callback(event.remove, Engine, name, listener)

    def start_revision(self, revision: str, connection: Any, version_table: str) -> None:
        self.revision = revision
        self.version_table = version_table
        self.pre_existing = {
            oid
            for oid, relation in catalog.user_relations(connection).items()
            if relation.relkind in TABLE_RELKINDS and relation.name != version_table
        }

    def end_revision(self) -> None:
        self.revision = None
        self._finish_watch()

    # -- events ---------------------------------------------------------------------------------

    def _before(
        self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        raw = cursor.connection
        self._check_database(raw)
        if self.revision is None:
            return  # Alembic's own bookkeeping (version table) or env.py queries
        relations = catalog.user_relations(raw)
        pid = self._pid(raw)
        held = {(oid, mode) for oid, mode, granted in catalog.relation_locks(raw, pid) if granted}
        lock_timeout = catalog.lock_timeout_ms(raw)
        watch: AbstractContextManager[Observation] | None = None
        observation: Observation | None = None
        if getattr(raw, "autocommit", False):
            probe = [
                (relations[oid].schema, relations[oid].name)
                for oid in sorted(self.pre_existing)
                if oid in relations and relations[oid].relkind in ("r", "p")
            ]
            watch = self.observer.watch(pid, probe)
            observation = watch.__enter__()
        self._pending = _Pending(
            statement, relations, held, lock_timeout, watch, observation, time.perf_counter()
        )

    def _after(
        self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        pending = self._pending
        if pending is None or self.revision is None:
            return
        duration_ms = (time.perf_counter() - pending.started) * 1000
        self._finish_watch()
        self._pending = None
        raw = cursor.connection
        relations_after = catalog.user_relations(raw)
        held_after = {
            (oid, mode) for oid, mode, granted in catalog.relation_locks(raw, self._pid(raw)) if granted
        }
        taken = held_after - pending.locks
        if pending.observation is not None:
            taken |= pending.observation.locks - pending.locks
        self.statements.append(self._trace(pending, duration_ms, taken, relations_after))

    def _error(self, context: Any) -> None:
        if threading.get_ident() != self._thread:
            return
        if self._pending is not None:
            self.failed_sql = _clean_sql(self._pending.sql)
        self._finish_watch()
        self._pending = None

    # -- helpers --------------------------------------------------------------------------------

    def _finish_watch(self) -> None:
        pending = self._pending
        if pending is not None and pending.watch is not None:
            watch, pending.watch = pending.watch, None
            watch.__exit__(None, None, None)

    def _check_database(self, raw: Any) -> None:
        if id(raw) in self._checked:
            return
        name = catalog.current_database(raw)
        if name != self.database:
            raise WrongDatabase(
                f"env.py connected to database {name!r}, not to the trace database {self.database!r}; "
                "make env.py use the sqlalchemy.url of its Alembic config"
            )
        self._checked[id(raw)] = raw  # kept alive so the id is never reused by another connection

    def _pid(self, raw: Any) -> int:
        if id(raw) not in self._pids:
            self._pids[id(raw)] = catalog.backend_pid(raw)
        return self._pids[id(raw)]

    def _trace(
        self, pending: _Pending, duration_ms: float, taken: set[tuple[int, str]], after: dict[int, Relation]
    ) -> StatementTrace:
        known = {**pending.relations, **after}
        locks: list[Lock] = []
        verdicts: list[str | None] = []
        blocked: set[str] = set()
        for oid, mode in taken:
            relation = known.get(oid)
            if relation is None:
                continue  # a system catalog
            locks.append(Lock(relation.display_name, RELKINDS.get(relation.relkind, relation.relkind), mode))
            if oid in self.pre_existing and blocks(mode):
                verdicts.append(blocks(mode))
                blocked.add(relation.display_name)
        rewrites = sorted(
            after[oid].display_name
            for oid, before in pending.relations.items()
            if oid in after and before.filenode and after[oid].filenode != before.filenode
        )
        verdict = worst(verdicts)
        return StatementTrace(
            revision=self.revision or "",
            sql=_clean_sql(pending.sql),
            duration_ms=round(duration_ms, 2),
            locks=tuple(sorted(locks, key=lambda lock: (lock.relation, -strength(lock.mode)))),
            rewrites=tuple(rewrites),
            blocks=verdict,
            lock_timeout=pending.lock_timeout,
            blocked_tables=tuple(sorted(blocked)),
        )


def _clean_sql(sql: str) -> str:
    return re.sub(r"\s+\n", "\n", sql.strip())
