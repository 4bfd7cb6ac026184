"""Fresh databases without waiting: the next one is cloned, and the last one dropped, in the background.

A test still gets a database nobody used, cloned from its template, and it is still dropped after
the test; only the waiting moves off the test's path, including the first connection (a new
server backend and SQLAlchemy's dialect set-up), which is opened ahead and kept in the pool.
Two worker threads: a drop and the next clone proceed side by side on the server.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from pytest_releasesafe.db.server import Database, Server

_Key = tuple[int, "str | None"]


class DatabaseSupply:
    def __init__(self) -> None:
        self._worker = ThreadPoolExecutor(max_workers=2, thread_name_prefix="releasesafe-db")
        self._spares: dict[_Key, tuple[Server, Future[Database]]] = {}
        self._drops: list[Future[None]] = []

    def take(self, server: Server, template: Database | None = None) -> Database:
        """A fresh database on `server` (a clone of `template` if given); prepares the next one."""
        key = (id(server), template.name if template else None)
        spare = self._spares.pop(key, None)
        database = None
        if spare is not None:
            try:
                database = spare[1].result()
            except Exception:
                database = None  # made again below, in the foreground, so its error is the test's
        if database is None:
            database = server.create_database(template=template)
        self._spares[key] = (server, self._worker.submit(_prepared, server, template))
        return database

    def give_back(self, database: Database) -> None:
        """Drop `database` in the background; failures are raised by close()."""
        database.dispose()  # our connections close now, in the test's thread
        self._drops.append(self._worker.submit(database.drop))
        self._drops = [drop for drop in self._drops if not drop.done() or drop.exception()]

    def forget_server(self, server: Server) -> None:
        """Drop the spares prepared on `server` (before it stops, or before its template goes)."""
        for key, (owner, spare) in list(self._spares.items()):
            if owner is server:
                del self._spares[key]
                self._drop_spare(spare)

    def close(self) -> None:
        """Drop the spares, wait for all background work, and raise the first failure if any."""
        for _, spare in self._spares.values():
            self._drop_spare(spare)
        self._spares.clear()
        self._worker.shutdown(wait=True)
        for drop in self._drops:
            error = drop.exception()
            if error is not None:
                raise error
        self._drops.clear()

    @staticmethod
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
