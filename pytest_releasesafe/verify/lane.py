"""A database that climbs the history revision by revision, reused by consecutive checks.

Checks run in history order, so the database a check leaves (revision r applied) is where the next
check starts (its parent applied): no re-migration from base per revision. A check that leaves the
database in doubt marks the lane dirty. Where DDL is transactional the checks roll a failure back
themselves; elsewhere the lane goes on from its standby (a copy at the last good state, see
standby), and only without one does the next check start over on a fresh database.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from pytest_releasesafe.verify.kept_rows import KeptRows
from pytest_releasesafe.verify.migrator import MigrationFailed, MigrationScripts, Migrator, Revision
from pytest_releasesafe.verify.reflection import IncrementalReflection
from pytest_releasesafe.verify.snapshot import Snapshot
from pytest_releasesafe.verify.standby import DatabaseFactory, DatabaseHandle, Standby

__all__ = ["DatabaseFactory", "DatabaseHandle", "Lane"]


class Lane:
    def __init__(
        self,
        scripts: MigrationScripts,
        new_database: DatabaseFactory,
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
        self._standby: Standby | None = None
        self._no_standby = False  # set when a copy of this history's schema would not be faithful

    @property
    def migrator(self) -> Migrator:
        if self._migrator is None:
            self._rebuild()
        elif self.dirty and not self._restore():
            self._rebuild()
        assert self._migrator is not None
        return self._migrator

    def _rebuild(self) -> None:
        self.close()
        migrator = self._use(self._new_database(None))
        if self._setup is not None:
            self._setup(migrator)
        self.applied = set()

    def _use(self, database: DatabaseHandle) -> Migrator:
        """Work on `database` from now on, with nothing known about its schema or rows yet."""
        self._database = database
        self._migrator = Migrator(self.scripts, database.engine())
        self._snapshots.clear()
        self._tables.clear()
        self._reflection = None
        self.kept_rows = KeptRows()
        self.dirty = False
        return self._migrator

    def _restore(self) -> bool:
        """Go on from a clone of the standby (the last good state) instead of the first revision.
        False when there is no standby or it cannot catch up."""
        standby = self._standby
        if standby is None:
            return False
        try:
            standby.catch_up()
        except MigrationFailed:
            # A step that passed here fails there (an upgrade that depends on rows): no copy to use.
            self._drop_standby()
            return False
        self._close_database()
        migrator = self._use(standby.clone())
        # The copy leaves out what the server cannot copy (MySQL stored routines and events):
        # checks on an unfaithful copy would fail where the real history does not.
        if migrator.snapshot() != standby.snapshot():
            self._close_database()
            self._drop_standby()
            self._no_standby = True
            return False
        self.applied = set(standby.applied)
        return True

    def _good(self, direction: str, revision: str) -> None:
        """A step the checks passed (or a climb that succeeded): the standby follows it. The
        standby is made on the first one, where DDL cannot be rolled back."""
        # Not asked: self.dirty. A check may mark the lane in doubt around a step that then passed.
        if self._migrator is None or self._migrator.transactional_ddl:
            return
        if self._standby is None:
            if self._no_standby:
                return
            assert self._database is not None
            self._migrator.connection.commit()  # the clone copies what is committed
            standby = Standby(self.scripts, self._new_database, self._database.name, self.applied)
            if standby.snapshot() != self._migrator.snapshot():
                # The copy lacks what the server cannot copy (see _restore): after a failure
                # this lane starts over, as it would without a standby.
                standby.drop()
                self._no_standby = True
                return
            self._standby = standby
            return
        self._standby.follow(direction, revision)

    @property
    def open_migrator(self) -> Migrator | None:
        """The migrator the lane has now, if any, as it is (not rebuilt or restored)."""
        return self._migrator

    @property
    def transactional_ddl(self) -> bool:
        """Whether the lane's database rolls back DDL (False before it has one)."""
        return self._migrator is not None and self._migrator.transactional_ddl

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
        if self._migrator is None or revision.id in self.applied:
            self._rebuild()
        migrator = self.migrator  # after a failure: from the standby where there is one
        for parent in revision.parents:
            if parent not in self.applied:
                self.dirty = True  # until the upgrade succeeds
                migrator.upgrade(parent)
                reached = self.scripts.ancestors(parent) - self.applied
                self.applied |= reached
                self.dirty = False
                if self._standby is not None:
                    for climbed in self.scripts.revisions:  # in history order
                        if climbed.id in reached:
                            self._standby.follow("upgrade", climbed.id)
        return migrator

    def stepped_up(self, revision: Revision) -> None:
        self.applied.add(revision.id)
        self._good("upgrade", revision.id)

    def stepped_down(self, revision: Revision) -> None:
        self.applied.discard(revision.id)
        self._good("downgrade", revision.id)

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
        try:
            self._close_database()
        finally:
            self._drop_standby()

    def _close_database(self) -> None:
        if self._migrator is not None:
            try:
                self._migrator.close()
            finally:
                self._migrator = None
        if self._database is not None:
            database, self._database = self._database, None
            database.drop()

    def _drop_standby(self) -> None:
        if self._standby is not None:
            standby, self._standby = self._standby, None
            standby.drop()
