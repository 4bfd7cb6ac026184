"""A copy of a lane's database at a state the checks proved good, for servers whose DDL cannot be
rolled back (MySQL, MariaDB).

On Postgres a failed check is rolled back whole and the lane goes on from where it was. Elsewhere
a failed migration leaves the database half-migrated; without a copy of the last good state the
next check would have to migrate a new database from the first revision. The standby is that
copy: cloned from the lane's database once, it then follows the lane, replaying in batches the
steps that passed there (one alembic run per batch). After a failure the standby catches up and
the lane continues on a clone of it: at most a batch of upgrades and one copy, not the history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from pytest_releasesafe.verify.migrator import MigrationScripts, Migrator
from pytest_releasesafe.verify.snapshot import Snapshot

# Steps the standby may lag behind: one alembic run per batch, at most this many to catch up.
BATCH = 10


class DatabaseHandle(Protocol):
    """What a lane needs from `pytest_releasesafe.db.Database`."""

    name: str

    def engine(self, **options: Any) -> Any: ...

    def drop(self) -> None: ...


# A new database: empty, or (given a database name) a clone of that database.
DatabaseFactory = Callable[[str | None], DatabaseHandle]


class Standby:
    def __init__(
        self, scripts: MigrationScripts, new_database: DatabaseFactory, source: str, applied: set[str]
    ) -> None:
        """A clone of database `source`, which has `applied` applied."""
        self._scripts = scripts
        self._new_database = new_database
        self.database = new_database(source)
        self.applied = set(applied)
        self._migrator: Migrator | None = None
        self._behind: list[tuple[str, str]] = []  # ("upgrade"/"downgrade", revision) not replayed yet

    def follow(self, direction: str, revision: str) -> None:
        """The lane took this step and the checks passed: replay it here (soon)."""
        self._behind.append((direction, revision))
        if len(self._behind) >= BATCH:
            self.catch_up()

    def catch_up(self) -> None:
        """Replay the steps the lane took since; MigrationFailed if one fails here (the standby
        is then of no use)."""
        if not self._behind:
            return
        steps, self._behind = self._behind, []
        self._own_migrator().steps(steps)
        for direction, revision in steps:
            if direction == "upgrade":
                self.applied.add(revision)
            else:
                self.applied.discard(revision)

    def _own_migrator(self) -> Migrator:
        if self._migrator is None:
            self._migrator = Migrator(self._scripts, self.database.engine())
        return self._migrator

    def snapshot(self) -> Snapshot:
        """The standby's schema (call catch_up first)."""
        return self._own_migrator().snapshot()

    def clone(self) -> DatabaseHandle:
        """A new database at the standby's state (call catch_up first; every step it ran is
        committed)."""
        return self._new_database(self.database.name)

    def drop(self) -> None:
        try:
            if self._migrator is not None:
                self._migrator.close()
                self._migrator = None
        finally:
            self.database.drop()
