"""A database that climbs the history revision by revision, reused by consecutive checks.

Checks run in history order, so the database a check leaves (revision r applied) is where the next
check starts (its parent applied): no re-migration from base per revision. A check that leaves the
database in doubt marks the lane dirty and the next check starts over on a fresh database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import sqlalchemy as sa

from pytest_releasesafe.verify.kept_rows import KeptRows
from pytest_releasesafe.verify.migrator import MigrationScripts, Migrator, Revision
from pytest_releasesafe.verify.reflection import IncrementalReflection
from pytest_releasesafe.verify.snapshot import Snapshot


class DatabaseHandle(Protocol):
    """What a lane needs from `pytest_releasesafe.db.Database`."""

    name: str

    def engine(self, **options: Any) -> Any: ...

    def drop(self) -> None: ...


class Lane:
    def __init__(
        self,
        scripts: MigrationScripts,
        new_database: Callable[[], DatabaseHandle],
        setup: Callable[[Migrator], None] | None = None,
    ) -> None:
        self.scripts = scripts
        self._new_database = new_database
        self._setup = setup  # the starting schema, run on every new database before any revision
        self._database: DatabaseHandle | None = None
        self._migrator: Migrator | None = None
        self.applied: set[str] = set()
        self.dirty = True
        self._snapshots: dict[frozenset[str], Snapshot] = {}
        self._tables: dict[frozenset[str], list[sa.Table]] = {}
        self._reflection: IncrementalReflection | None = None
        # Generated rows kept in the tables between revisions (the stairway with its data check).
        self.kept_rows = KeptRows()

    @property
    def migrator(self) -> Migrator:
        if self._migrator is None or self.dirty:
            self._rebuild()
        assert self._migrator is not None
        return self._migrator

    def _rebuild(self) -> None:
        self.close()
        self._database = self._new_database()
        self._migrator = Migrator(self.scripts, self._database.engine())
        if self._setup is not None:
            self._setup(self._migrator)
        self.applied = set()
        self._snapshots.clear()
        self._tables.clear()
        self._reflection = None
        self.kept_rows = KeptRows()
        self.dirty = False

    def fresh(self) -> Migrator:
        """A new, empty database for this lane (the previous one is dropped)."""
        self._rebuild()
        assert self._migrator is not None
        return self._migrator

    def at_heads(self) -> Migrator:
        """The lane's migrator with the whole history applied (upgrading a fresh database if the
        lane is not there already). MigrationFailed leaves the lane dirty."""
        everything = {revision.id for revision in self.scripts.revisions}
        if self._migrator is not None and not self.dirty and self.applied == everything:
            return self._migrator
        # Reuse the database only if it is a clean, empty one.
        migrator = self.fresh() if self._migrator is None or self.dirty or self.applied else self._migrator
        self.dirty = True  # until the upgrade succeeds
        migrator.upgrade("heads")
        self.applied = everything
        self.dirty = False
        return migrator

    def at_parents_of(self, revision: Revision) -> Migrator:
        """The lane's migrator with every parent of `revision` applied and `revision` itself not."""
        if self._migrator is None or self.dirty or revision.id in self.applied:
            self._rebuild()
        migrator = self.migrator
        for parent in revision.parents:
            if parent not in self.applied:
                self.dirty = True  # until the upgrade succeeds
                migrator.upgrade(parent)
                self.applied |= self.scripts.ancestors(parent)
                self.dirty = False
        return migrator

    def stepped_up(self, revision: Revision) -> None:
        self.applied.add(revision.id)

    def stepped_down(self, revision: Revision) -> None:
        self.applied.discard(revision.id)

    def snapshot(self) -> Snapshot:
        """The schema at the current revisions, taken once per set of applied revisions."""
        key = frozenset(self.applied)
        if key not in self._snapshots:
            self._snapshots[key] = self.migrator.snapshot()
        return self._snapshots[key]

    def tables(self) -> list[sa.Table]:
        """The current tables reflected (parents first), once per set of applied revisions."""
        key = frozenset(self.applied)
        if key not in self._tables:
            migrator = self.migrator
            if self._reflection is None:
                self._reflection = IncrementalReflection(frozenset({migrator.version_table}))
            snapshot = self.snapshot()
            with migrator.transaction() as connection:
                self._tables[key] = self._reflection.tables(connection, snapshot)
        return self._tables[key]

    def remember(self, snapshot: Snapshot) -> None:
        self._snapshots[frozenset(self.applied)] = snapshot

    def close(self) -> None:
        if self._migrator is not None:
            try:
                self._migrator.close()
            finally:
                self._migrator = None
        if self._database is not None:
            database, self._database = self._database, None
            database.drop()
