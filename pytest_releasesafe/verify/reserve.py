"""New databases made, and finished ones dropped, while the checks go on.

CREATE DATABASE and DROP DATABASE are server work the checks only wait for: about 0.1 s each on a
quiet PostgreSQL, several times that on a busy one. A lane that starts after another (the
stairway lane after the whole-history upgrade) can find its empty database ready, made in the
background while the earlier check ran; a lane no later check needs (the upgrade's, once drift has
compared it) is dropped in the background instead of at the end of the session, where under xdist
it would hold up the controller. Only empty databases are made ahead; clones of a template (the
standbys) are made when asked for, as before.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

from pytest_releasesafe.verify.standby import DatabaseFactory, DatabaseHandle


class Closable(Protocol):
    def close(self) -> None: ...


class DatabaseReserve:
    def __init__(self, new_database: DatabaseFactory) -> None:
        self._new_database = new_database
        self._pool: ThreadPoolExecutor | None = None
        self._ready: Future[DatabaseHandle] | None = None
        self._background: list[Future[None]] = []

    def _submit(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="releasesafe-verify-db")
        return self._pool

    def prepare(self) -> None:
        """Start making the next empty database, unless one is being made already."""
        if self._ready is None:
            self._ready = self._submit().submit(self._new_database, None)

    def new(self, template: str | None) -> DatabaseHandle:
        """A new database (the one prepared, if empty is wanted and one was); a DatabaseFactory."""
        if template is None and self._ready is not None:
            ready, self._ready = self._ready, None
            try:
                return ready.result()
            except Exception:  # noqa: BLE001 - made again here, so the error is the check's own
                pass
        return self._new_database(template)

    def close_later(self, lane: Closable) -> None:
        """Close `lane` (drop its databases) in the background; close() waits for it."""
        self._background.append(self._submit().submit(lane.close))

    def close(self) -> None:
        """Drop a prepared database nobody took, wait for the background work, raise its first error."""
        ready, self._ready = self._ready, None
        if ready is not None:
            self._background.append(self._submit().submit(_drop_when_made, ready))
        if self._pool is None:
            return
        pool, self._pool = self._pool, None
        pool.shutdown(wait=True)
        errors = [error for done in self._background if (error := done.exception()) is not None]
        self._background = []
        if errors:
            raise errors[0]


def _drop_when_made(made: Future[DatabaseHandle]) -> None:
    try:
        database = made.result()
    except Exception:  # noqa: BLE001 - never handed out: nothing to drop, nothing to report
        return
    database.drop()
