"""Watch the migration's backend from a second connection while one statement runs.

Outside a transaction (Alembic's autocommit_block()) a statement releases its locks the moment it
finishes, so reading pg_locks afterwards shows nothing. While such a statement runs, this observer
polls pg_locks for the migration's backend. Sampling alone could miss a statement that finishes
between two polls, so the observer first takes a ROW EXCLUSIVE "probe" lock on every table that
existed before the revision: any lock that blocks writes conflicts with it and must queue, where
the observer sees its mode, then lets it through by releasing the probe. Statements that block
neither reads nor writes do not queue on the probe, but CREATE INDEX CONCURRENTLY waits for the
probing transaction to end, which shows its ShareUpdateExclusiveLock just the same.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

_POLL_SECONDS = 0.0005
# A probe never holds a statement back longer than this, even if the statement never queues.
_MAX_PROBE_SECONDS = 2.0

_LOCKS = "SELECT locktype, relation, mode, granted FROM pg_locks WHERE pid = %s"


@dataclass
class Observation:
    locks: set[tuple[int, str]] = field(default_factory=set)  # (relation oid, mode), granted or queued
    samples: int = 0


class LockObserver:
    def __init__(self, conninfo: str) -> None:
        self._connection = psycopg.connect(conninfo, autocommit=True)
        # The probe must never wait on anybody for long: give up and sample instead.
        self._connection.execute("SET lock_timeout = '1s'")

    def close(self) -> None:
        self._connection.close()

    @contextmanager
    def watch(self, pid: int, probe_tables: Sequence[tuple[str, str]]) -> Iterator[Observation]:
        """Observe `pid` for the duration of the with-block; `probe_tables` are (schema, name)."""
        observation = Observation()
        probing = self._take_probe(probe_tables)
        stop = threading.Event()
        poller = threading.Thread(
            target=self._poll, args=(pid, observation, stop, probing), name="releasesafe-trace-observer"
        )
        poller.start()
        try:
            yield observation
        finally:
            stop.set()
            poller.join()
            self._release_probe()

    def _take_probe(self, tables: Sequence[tuple[str, str]]) -> bool:
        if not tables:
            return False
        names = sql.SQL(", ").join(sql.Identifier(schema, name) for schema, name in tables)
        try:
            self._connection.execute("BEGIN")
            self._connection.execute(sql.SQL("LOCK TABLE {} IN ROW EXCLUSIVE MODE").format(names))
        except psycopg.Error:
            self._release_probe()
            return False
        return True

    def _release_probe(self) -> None:
        if self._connection.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            self._connection.execute("ROLLBACK")

    def _poll(self, pid: int, observation: Observation, stop: threading.Event, probing: bool) -> None:
        started = time.monotonic()
        while True:
            rows = self._connection.execute(_LOCKS, (pid,)).fetchall()
            observation.samples += 1
            waiting = False
            for locktype, relation, mode, granted in rows:
                if locktype == "relation" and relation is not None:
                    observation.locks.add((int(relation), mode))
                waiting = waiting or not granted
            if probing and (waiting or time.monotonic() - started > _MAX_PROBE_SECONDS):
                self._release_probe()
                probing = False
            if stop.wait(_POLL_SECONDS):
                return
