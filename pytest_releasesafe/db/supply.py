"""Fresh databases without waiting: the next ones are cloned, and used ones dropped, in the background.

A test still gets a database nobody used, cloned from its template, and it is still dropped after
the test; only the waiting moves off the test's path, including the first connection (a new
server backend and SQLAlchemy's dialect set-up), which is opened ahead and kept in the pool.

One spare is prepared after the first database of a kind is taken, two once a second one is asked
for (a suite of many tests): two clones then proceed side by side on the server, next to a drop.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

from pytest_releasesafe.db.server import Database, Server

MAX_SPARES = 2

_Key = tuple[int, "str | None"]


class DatabaseSupply:
    def __init__(self) -> None:
        self._worker = ThreadPoolExecutor(max_workers=MAX_SPARES + 1, thread_name_prefix="releasesafe-db")
        self._spares: dict[_Key, tuple[Server, deque[Future[Database]]]] = {}
        self._drops: list[Future[None]] = []

    def take(self, server: Server, template: Database | None = None) -> Database:
        """A fresh database on `server` (a clone of `template` if given); prepares the next ones."""
        key = (id(server), template.name if template else None)
        first_time = key not in self._spares
        _, spares = self._spares.setdefault(key, (server, deque()))
        database = None
        if spares:
            try:
                database = spares.popleft().result()
            except Exception:
                database = None  # made again below, in the foreground, so its error is the test's
        if database is None:
            database = server.create_database(template=template)
        wanted = 1 if first_time else MAX_SPARES
        while len(spares) < wanted:
            spares.append(self._worker.submit(_prepared, server, template))
        return database

    def give_back(self, database: Database) -> None:
        """Drop `database` in the background; failures are raised by close()."""
        database.dispose()  # our connections close now, in the test's thread
        self._drops.append(self._worker.submit(database.drop))
        self._drops = [drop for drop in self._drops if not drop.done() or drop.exception()]

    def spare_names(self) -> list[str]:
        """Names of the spares prepared so far (waits for them)."""
        return [
            spare.result().name
            for _, spares in self._spares.values()
            for spare in spares
            if spare.exception() is None
        ]

    def close(self) -> None:
        """Drop the spares, wait for all background work, and raise the first failure if any."""
        for _, spares in self._spares.values():
            for spare in spares:
                _drop_spare(spare)
        self._spares.clear()
        self._worker.shutdown(wait=True)
        for drop in self._drops:
            error = drop.exception()
            if error is not None:
                raise error
        self._drops.clear()


def _drop_spare(spare: Future[Database]) -> None:
    try:
        database = spare.result()
    except Exception:
        return  # never handed out; its error would only repeat the next take()'s
    database.drop()


def _prepared(server: Server, template: Database | None) -> Database:
    """A new database with one pooled connection already open (backend started, caches warm)."""
    database = server.create_database(template=template)
    try:
        with database.engine().connect():
            pass
    except Exception:
        database.drop()
        raise
    return database
