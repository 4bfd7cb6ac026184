"""The migration checks, each a method a test item calls: history, upgrade, stairway, data, drift.

A check either returns (passed), raises CheckFailed with one sentence per problem, or raises
CheckSkipped saying why it could not run. Nothing here knows about pytest.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from pytest_releasesafe.verify.data_compare import Upgraded, lost_data
from pytest_releasesafe.verify.diff import Difference, after_downgrade, compare, describe, made_by_downgrade
from pytest_releasesafe.verify.drift import drift, load_metadata
from pytest_releasesafe.verify.history import RevisionFile, history_problems, read_history, read_revision_file
from pytest_releasesafe.verify.kept_rows import KeptRows
from pytest_releasesafe.verify.lane import DatabaseFactory, Lane
from pytest_releasesafe.verify.migrator import (
    MigrationFailed,
    MigrationScripts,
    Migrator,
    Revision,
    VerifyError,
    alembic_config,
)
from pytest_releasesafe.verify.pytest_alembic_config import RevisionData, insert_rows
from pytest_releasesafe.verify.reserve import DatabaseReserve
from pytest_releasesafe.verify.rows import generate_rows, insert_all, read_all
from pytest_releasesafe.verify.setup_schema import load_setup, run_setup
from pytest_releasesafe.verify.snapshot import Snapshot, take_snapshot


def _revision_facts(path: Path) -> RevisionFile:
    """The static facts of a revision file, read once while it is unchanged (several checks ask)."""
    try:
        stat = path.stat()
    except OSError:
        return read_revision_file(path)
    return _cached_facts(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4096)
def _cached_facts(path: Path, mtime_ns: int, size: int) -> RevisionFile:
    return read_revision_file(path)


class CheckFailed(AssertionError):
    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


class CheckSkipped(Exception):
    pass


@dataclass(frozen=True)
class VerifySettings:
    alembic_config: Path
    alembic_section: str = "alembic"
    models: str = ""  # "package.module:metadata"; empty: env.py's target_metadata
    heads: tuple[str, ...] = ()  # expected heads; empty: exactly one
    floor: str = ""  # revisions at or below it need no downgrade
    setup: str = ""  # the starting schema (see setup_schema); .sql paths already absolute


_NON_TRANSACTIONAL_DDL = ("mysql", "mariadb")


def check_history(settings: VerifySettings) -> None:
    """Reads the revision files only: works even when alembic cannot load the history."""
    from alembic.script import ScriptDirectory

    try:
        config = alembic_config(settings.alembic_config, settings.alembic_section)
        locations = [Path(p) for p in ScriptDirectory.from_config(config)._version_locations]
    except Exception as error:  # noqa: BLE001 - a broken config is a finding, not a crash
        raise CheckFailed([f"{settings.alembic_config}: {error}"]) from None
    files = read_history(locations)
    if not files:
        raise CheckFailed([f"{', '.join(map(str, locations))}: no revision files"])
    problems = [str(p) for p in history_problems(files, settings.heads)]
    if problems:
        raise CheckFailed(problems)


class _NotHeld(Exception):
    """The stairway with rows found something: the plain checks run and say what."""


@dataclass(frozen=True)
class _DataOutcome:
    """A data round-trip that passed inside the stairway pass, kept for the data check."""

    not_seeded: list[str]
    any_seeded: bool

    def result(self) -> list[str]:
        if self.not_seeded and not self.any_seeded:
            raise CheckSkipped("no table could be seeded: " + "; ".join(self.not_seeded))
        return self.not_seeded


class Verifier:
    """Holds what the checks of one test session share: the loaded history and database lanes."""

    def __init__(self, settings: VerifySettings, new_database: DatabaseFactory) -> None:
        self.settings = settings
        self._reserve = DatabaseReserve(new_database)
        self._new_database = self._reserve.new
        self._scripts: MigrationScripts | None = None
        self._lanes: dict[str, Lane] = {}
        self._floor_ancestors: set[str] | None = None
        # Revisions whose data check runs in this session too: their stairway seeds the tables
        # and answers both checks in one pass (see check_stairway).
        self.fold_data: frozenset[str] = frozenset()
        # Whether stairway or data checks run in this session: their lane's database is then made
        # while the upgrade check runs.
        self.revision_checks = False
        self._folded_data: dict[str, _DataOutcome | list[str] | Exception] = {}
        # pytest-alembic's alembic_config fixture, when the project has one.
        self.revision_data = RevisionData()
        # Revisions whose upgrade() fails on empty tables, with the message: the checks of their
        # descendants are skipped naming them, instead of each failing the same way again.
        self._broken: dict[str, str] = {}
        self._setup_loaded = False
        self._setup: Callable[[Migrator], None] | None = None

    # -- shared state -------------------------------------------------------------------------

    @property
    def scripts(self) -> MigrationScripts:
        if self._scripts is None:
            self._scripts = MigrationScripts(self.settings.alembic_config, self.settings.alembic_section)
        return self._scripts

    def use_scripts(self, scripts: MigrationScripts) -> None:
        """Reuse a history already loaded (at collection) instead of reading it again."""
        self._scripts = scripts

    def lane(self, name: str) -> Lane:
        if name not in self._lanes:
            self._lanes[name] = Lane(self.scripts, self._new_database, self._setup_step())
        return self._lanes[name]

    def _setup_step(self) -> Callable[[Migrator], None] | None:
        if not self._setup_loaded:
            setting = self.settings.setup
            setup = load_setup(setting, self.settings.alembic_config.parent)
            if setup is not None:
                self._setup = lambda migrator: run_setup(setup, migrator.connection, setting)
            self._setup_loaded = True
        return self._setup

    @property
    def floor(self) -> str:
        return self.settings.floor or self.revision_data.floor

    def below_floor(self, revision: Revision) -> bool:
        if not self.floor:
            return False
        if self._floor_ancestors is None:
            try:
                floor = self.scripts.get(self.floor)
            except VerifyError as error:
                raise VerifyError(f"releasesafe_floor = {self.floor}: {error}") from None
            self._floor_ancestors = self.scripts.ancestors(floor.id)
        return revision.id in self._floor_ancestors

    def _not_checked(self, revision: Revision) -> None:
        """Skip a revision the project excludes, or one that needs a revision whose upgrade fails."""
        if revision.id in self.revision_data.skip:
            raise CheckSkipped(f"{revision.id} is listed in skip_revisions (alembic_config fixture)")
        if not self._broken:
            return  # the usual case: no walk down the history for every item
        for ancestor in self.scripts.ancestors(revision.id) - {revision.id}:
            if ancestor in self._broken:
                raise CheckSkipped(
                    f"needs {ancestor}, whose upgrade() fails (see its stairway item): {self._broken[ancestor]}"
                )

    def _climb(self, lane: Lane, revision: Revision) -> Migrator:
        """The lane at the parents of `revision`; a parent that cannot be upgraded is blamed by name."""
        try:
            return lane.at_parents_of(revision)
        except MigrationFailed as error:
            self._broken.setdefault(error.revision, str(error))
            raise CheckSkipped(
                f"needs {error.revision}, whose upgrade() fails (see its stairway item): {error}"
            ) from None

    def close(self) -> None:
        """Drop every lane's databases, side by side: DROP DATABASE of a migrated schema takes
        the server a good part of a second, which the session would otherwise wait for in turn.
        Databases made or dropped in the background are waited for too."""
        lanes, self._lanes = list(self._lanes.values()), {}
        closing = [lane.close for lane in lanes] + [self._reserve.close]
        with ThreadPoolExecutor(max_workers=len(closing)) as pool:
            futures = [pool.submit(close) for close in closing]
        errors = [error for future in futures if (error := future.exception()) is not None]
        if errors:
            raise errors[0]  # every lane was closed first

    # -- helpers ------------------------------------------------------------------------------

    def _failure(self, error: MigrationFailed, before: Snapshot | None, migrator: Migrator) -> CheckFailed:
        messages = [str(error)]
        if before is not None:
            try:
                left = compare(before, migrator.snapshot())
            except Exception:  # noqa: BLE001 - the database may be unusable after the failure
                left = []
            if left:
                why = (
                    f"{migrator.dialect} cannot roll back DDL"
                    if migrator.dialect in _NON_TRANSACTIONAL_DDL
                    else "the failed migration did not roll back"
                )
                messages.append(f"the database is left half-migrated ({why}):")
                messages.extend(f"  {describe(d)}" for d in left)
        return CheckFailed(messages)

    # -- checks -------------------------------------------------------------------------------

    def check_history(self) -> None:
        check_history(self.settings)

    def check_upgrade(self) -> None:
        """base -> heads in one run, on a fresh database, ending at the history's heads. The
        database stays for the drift check."""
        lane = self.lane("head")
        migrator = lane.fresh()
        if self.revision_checks:
            self._reserve.prepare()  # the stairway lane's database, made while this one migrates
        before = migrator.snapshot() if self.settings.setup else Snapshot()
        try:
            if self.revision_data.has_rows:
                self._upgrade_with_revision_data(migrator)
            else:
                migrator.upgrade("heads")
        except MigrationFailed as error:
            lane.dirty = True
            self._broken.setdefault(error.revision, str(error))
            raise self._failure(error, before, migrator) from None
        lane.applied = {revision.id for revision in self.scripts.revisions}
        reached, expected = migrator.heads(), tuple(sorted(self.scripts.heads))
        if reached != expected:
            lane.dirty = True
            raise CheckFailed([f"upgrade to heads ends at {reached}, expected {expected}"])

    def _upgrade_with_revision_data(self, migrator: Migrator) -> None:
        """base -> heads one revision at a time, inserting the project's rows for each revision
        before and after its upgrade() (pytest-alembic's before_/at_revision_data)."""
        data = self.revision_data
        for revision in self.scripts.revisions:
            for rows, when in ((data.before.get(revision.id), "before"), (data.at.get(revision.id), "at")):
                if when == "at":
                    migrator.step_up(revision.id)
                if rows:
                    try:
                        with migrator.transaction() as connection:
                            insert_rows(connection, rows)
                    except sa.exc.SQLAlchemyError as error:
                        raise CheckFailed(
                            [
                                f"{revision.path}: the {when}_revision_data rows for {revision.id} cannot be"
                                f" inserted: {type(error).__name__}: {str(error).splitlines()[0]}"
                            ]
                        ) from None

    def check_stairway(self, revision: Revision) -> None:
        """Upgrade alone, downgrade to the parent without a trace, upgrade again."""
        self._not_checked(revision)
        lane = self.lane("stairway")
        folded = (
            revision.id in self.fold_data
            and not self.below_floor(revision)
            and self._irreversible(revision) is None
        )
        if folded and self._stairway_with_rows(lane, revision):
            return
        # Something failed with rows in the tables. Run both checks the plain way, each on its
        # own, so each reports exactly its own findings.
        if lane.kept_rows.holds_rows:
            self._empty_lane(lane)  # the plain stairway runs on empty tables
        try:
            with self._attempt(lane):
                self._plain_stairway(lane, revision)
        finally:
            if folded and revision.id not in self._folded_data and not lane.transactional_ddl:
                self._data_check_after_stairway(lane, revision)

    def _data_check_after_stairway(self, lane: Lane, revision: Revision) -> None:
        """Where DDL cannot be rolled back: after a failed stairway the lane goes back to the
        parents of `revision` anyway (from its standby), so the plain data check runs there now,
        its outcome kept for the data item, instead of on a second lane that would first climb
        the history. After a passed stairway the lane is past the revision: the data item runs
        on its own lane as usual."""
        if not lane.dirty:
            return
        outcome: list[str] | Exception
        try:
            outcome = self._plain_data(lane, revision)
        except (CheckFailed, CheckSkipped, VerifyError) as error:
            outcome = error
        self._folded_data[revision.id] = outcome

    @contextmanager
    def _attempt(self, lane: Lane) -> Iterator[None]:
        """Where DDL is transactional, a check that fails is rolled back whole: the lane is back
        where it was (its revisions applied, nothing of the failed one left), so the next check
        goes on from there instead of rebuilding from the first revision."""
        if lane.dirty or not lane.migrator.transactional_ddl:
            yield
            return
        applied = set(lane.applied)
        # Held here: a failing check marks the lane dirty, and asking the lane for its migrator
        # then would rebuild it from the first revision, the very thing the rollback avoids.
        migrator = lane.migrator
        try:
            with migrator.held() as undo:
                try:
                    yield
                except BaseException:
                    undo()
                    raise
        except (CheckFailed, CheckSkipped, VerifyError):
            if migrator.connection.closed:
                raise
            lane.applied, lane.dirty = applied, False
            lane.kept_rows = KeptRows()  # the rolled-back tables are re-read before use
            raise

    @staticmethod
    def _empty_lane(lane: Lane) -> None:
        """Delete the rows kept in the lane's tables (the plain checks run on empty tables)."""
        if lane.dirty:
            return  # rebuilt empty anyway
        try:
            Verifier._empty_tables(lane.migrator, lane.tables())
        except sa.exc.DBAPIError:
            lane.dirty = True
        lane.kept_rows = KeptRows()

    def _plain_stairway(self, lane: Lane, revision: Revision) -> None:
        migrator = self._climb(lane, revision)
        before = lane.snapshot()
        irreversible = None if self.below_floor(revision) else self._irreversible(revision)
        if irreversible is not None or self.below_floor(revision):
            # Prove the upgrade alone; the downgrade is either not required or not there to run.
            try:
                migrator.step_up(revision.id)
            except MigrationFailed as error:
                lane.dirty = True
                self._broken.setdefault(revision.id, str(error))
                raise self._failure(error, before, migrator) from None
            lane.stepped_up(revision)
            if irreversible is not None:
                raise irreversible
            return
        try:
            migrator.step_up(revision.id)
        except MigrationFailed as error:
            lane.dirty = True
            self._broken.setdefault(revision.id, str(error))
            raise self._failure(error, before, migrator) from None
        # The state in between tells what the downgrade did on its own (the stairway without
        # rows runs only alone or after a failure, so this extra snapshot is off the fast path).
        upgraded = migrator.snapshot()
        try:
            migrator.step_down(revision.id)
        except MigrationFailed as error:
            lane.dirty = True
            raise self._downgrade_failure(error, revision, migrator) from None
        differences = compare(before, migrator.snapshot())
        if differences:
            lane.dirty = True
            messages = self._explain(differences, compare(before, upgraded), revision)
            facts = _revision_facts(revision.path)
            if facts.irreversible == "pass":
                messages.insert(
                    0,
                    f"{revision.path}:{facts.downgrade_line}: downgrade() of {revision.id} is `pass`, but"
                    " upgrade() changed the schema:",
                )
            raise CheckFailed(messages)
        try:
            migrator.step_up(revision.id)
        except MigrationFailed as error:
            lane.dirty = True
            raise CheckFailed(
                [f"{error} (upgrade() runs once, but not again after its own downgrade())"]
            ) from None
        lane.stepped_up(revision)

    @staticmethod
    def _explain(
        differences: list[Difference], upgrade_made: list[Difference], revision: Revision
    ) -> list[str]:
        """Each difference in the words of whichever function made it: a change already there
        after upgrade() is one downgrade() did not undo; any other, downgrade() made itself."""
        by_upgrade = {(d.noun, d.subject) for d in upgrade_made}
        return [
            after_downgrade(d, revision.id)
            if (d.noun, d.subject) in by_upgrade
            else made_by_downgrade(d, revision.id)
            for d in differences
        ]

    def _stairway_with_rows(self, lane: Lane, revision: Revision) -> bool:
        """The stairway and the data round-trip in one pass: tables hold their generated rows
        (kept from the previous revision where still valid), then upgrade, downgrade, compare the
        schema and the rows with what was there, upgrade again. True when everything held; the
        data check's outcome is then kept for check_data. False (nothing reported) when anything
        failed: the plain checks then run and report."""
        if lane.dirty or not lane.migrator.transactional_ddl:
            held = self._rows_pass(lane, revision)
            if not held:
                lane.dirty = True
            return held
        applied = set(lane.applied)
        with lane.migrator.held() as undo:
            held = self._rows_pass(lane, revision)
            if not held:
                undo()
        if not held:
            # Rolled back: the lane is at the parents again, with the rows of before the pass.
            lane.applied, lane.dirty = applied, False
            lane.kept_rows = KeptRows()
            self._empty_lane(lane)
            self._data_check_here(lane, revision)
        return held

    def _data_check_here(self, lane: Lane, revision: Revision) -> None:
        """The plain data check of `revision`, run now on this lane and rolled back, its outcome
        kept for the data item: a second lane would first have to climb the whole history."""
        if lane.dirty:
            return
        applied = set(lane.applied)
        outcome: list[str] | Exception
        with lane.migrator.held() as undo:
            try:
                outcome = self._plain_data(lane, revision)
            except (CheckFailed, CheckSkipped, VerifyError) as error:
                outcome = error
            undo()
        lane.applied, lane.dirty = applied, False
        lane.kept_rows = KeptRows()
        self._folded_data[revision.id] = outcome

    def _rows_pass(self, lane: Lane, revision: Revision) -> bool:
        try:
            migrator = lane.at_parents_of(revision)
            schema_before = lane.snapshot()
            tables = lane.tables()
            with migrator.transaction() as connection:
                rows_before, not_seeded = lane.kept_rows.prepare(connection, tables, schema_before)

            def back_at_parents(connection: sa.Connection) -> None:
                """Between the downgrade and the second upgrade: nothing left, no row lost."""
                schema_after = take_snapshot(connection, frozenset({migrator.version_table}))
                if compare(schema_before, schema_after):
                    raise _NotHeld
                rows_after = read_all(connection, tables)
                for table in tables:
                    columns = set(schema_after.tables[table.name].columns)
                    if lost_data(
                        table, rows_before[table.name], rows_after[table.name], revision.id, columns
                    ):
                        raise _NotHeld
                lane.kept_rows.settle(rows_after)

            # Up, down, the checks, up again: one alembic run (one env set-up, one version read).
            steps = [("upgrade", revision.id), ("downgrade", revision.id), ("upgrade", revision.id)]
            migrator.steps(steps, between={1: back_at_parents})
        except (MigrationFailed, sa.exc.DBAPIError, _NotHeld):
            # A database error while seeding or reading rows is the plain checks' to report too.
            return False
        lane.stepped_up(revision)
        self._folded_data[revision.id] = _DataOutcome(not_seeded, lane.kept_rows.holds_rows)
        return True

    @staticmethod
    def _declares_irreversible(revision: Revision) -> str:
        """How downgrade() says it cannot undo upgrade(): missing, or raising NotImplementedError.
        A downgrade that is only `pass` runs like any other: when upgrade() changed nothing the
        schema comparison shows (a merge revision, a data-only or read-only upgrade, a DROP ... IF
        EXISTS of nothing) it has nothing to undo and is correct."""
        irreversible = _revision_facts(revision.path).irreversible
        return "" if irreversible == "pass" else irreversible

    def _irreversible(self, revision: Revision) -> CheckFailed | None:
        if not self._declares_irreversible(revision):
            return None
        facts = _revision_facts(revision.path)
        how = {"missing": "has no downgrade()"}.get(
            facts.irreversible, f"downgrade() is `{facts.irreversible}`"
        )
        return CheckFailed(
            [
                f"{revision.path}:{facts.downgrade_line or facts.line}:"
                f" revision {revision.id} is irreversible"
                f" ({how}): write a downgrade() that undoes upgrade(), or set releasesafe_floor ="
                f" {revision.id} if downgrades at or below it are never needed"
            ]
        )

    def _downgrade_failure(
        self, error: MigrationFailed, revision: Revision, migrator: Migrator
    ) -> CheckFailed:
        if isinstance(error.error, NotImplementedError):
            return CheckFailed(
                [
                    f"downgrade() of {revision.id} raises NotImplementedError:"
                    " write a downgrade() that undoes"
                    f" upgrade(), or set releasesafe_floor = {revision.id}"
                ]
            )
        return self._failure(error, None, migrator)

    def check_data(self, revision: Revision) -> list[str]:
        """Rows seeded before upgrade() come back unchanged after downgrade(). Returns the tables
        that could not be seeded (checked empty), with why."""
        self._not_checked(revision)
        if self.below_floor(revision):
            raise CheckSkipped(f"{revision.id} is at or below releasesafe_floor = {self.floor}")
        if self._declares_irreversible(revision):
            raise CheckSkipped(f"{revision.id} has no downgrade (the stairway check reports it)")
        folded = self._folded_data.pop(revision.id, None)
        if isinstance(folded, Exception):
            raise folded
        if isinstance(folded, list):
            return folded
        if folded is not None:
            return folded.result()
        lane = self.lane("data")
        with self._attempt(lane):
            return self._plain_data(lane, revision)

    def _plain_data(self, lane: Lane, revision: Revision) -> list[str]:
        migrator = self._climb(lane, revision)
        schema_before = lane.snapshot()
        tables = lane.tables()
        with migrator.transaction() as connection:
            batches, skipped = generate_rows(tables)
            skipped.extend(insert_all(connection, batches))
            refused = {problem.partition(":")[0] for problem in skipped}
            seeded = {batch.table.name: batch.table for batch in batches if batch.table.name not in refused}
            before = read_all(connection, list(seeded.values()))
        rows = sum(map(len, before.values()))
        try:
            migrator.step_up(revision.id)
        except MigrationFailed as error:
            lane.dirty = True
            failure = self._failure(error, schema_before, migrator)
            failure.messages[0] += f" (with {rows} generated rows in the tables)"
            raise CheckFailed(failure.messages) from None
        # The rows in between tell data the upgrade destroyed from data the downgrade lost.
        upgraded = self._rows_now(migrator, seeded)
        try:
            migrator.step_down(revision.id)
        except MigrationFailed as error:
            lane.dirty = True
            raise self._downgrade_failure(error, revision, migrator) from None
        messages: list[str] = []
        now_columns, now = self._rows_now(migrator, seeded)
        for name, table in seeded.items():
            messages.extend(
                lost_data(
                    table,
                    before[name],
                    now.get(name),
                    revision.id,
                    now_columns.get(name),
                    Upgraded(upgraded[1].get(name)),
                )
            )
        if messages:
            lane.dirty = True
            raise CheckFailed(messages + [f"(not seeded: {s})" for s in skipped])
        # Leave the lane at this revision with empty tables, ready for the next one. If upgrade()
        # cannot run again after its own downgrade(), that is the stairway check's finding.
        lane.dirty = True
        self._empty_tables(migrator, tables)
        try:
            migrator.step_up(revision.id)
        except MigrationFailed:
            return skipped
        lane.stepped_up(revision)
        lane.dirty = False
        if skipped and not seeded:
            raise CheckSkipped("no table could be seeded: " + "; ".join(skipped))
        return skipped

    @staticmethod
    def _rows_now(
        migrator: Migrator, tables: dict[str, sa.Table]
    ) -> tuple[dict[str, set[str]], dict[str, list[dict[str, Any]]]]:
        """The columns and rows the seeded tables hold now (tables since dropped are absent)."""
        shapes = migrator.snapshot().tables
        columns = {name: set(shapes[name].columns) for name in tables if name in shapes}
        with migrator.transaction() as connection:
            rows = read_all(connection, [tables[name] for name in columns], columns)
        return columns, rows

    @staticmethod
    def _empty_tables(migrator: Migrator, tables: list[Any]) -> None:
        """Delete the generated rows, children first. Not TRUNCATE: on Postgres that replaces every
        table's files and costs tens of milliseconds for a handful of rows."""
        if not tables:
            return
        with migrator.transaction() as connection:
            quote = connection.dialect.identifier_preparer.quote
            deletes = [f"DELETE FROM {quote(table.name)}" for table in reversed(tables)]
            if migrator.dialect == "postgresql":
                migrator.execute("; ".join(deletes))  # one round trip
                return
            for statement in deletes:
                migrator.execute(statement)

    def _env_target_metadata(self, lane: Lane) -> Any:
        """env.py's target_metadata, from whichever lane has run env.py already: without models
        the drift check is skipped, and a lane with no database yet (under xdist, on a worker
        that did not run the upgrade check) would create and migrate one only to learn that."""
        for known in (lane, *self._lanes.values()):
            if known.open_migrator is not None:
                return known.open_migrator.target_metadata
        return lane.migrator.target_metadata

    def check_drift(self) -> None:
        """At head, the models and the migrated schema agree (autogenerate's comparison). The
        upgrade's database is then no longer needed: it is dropped in the background."""
        try:
            self._drift()
        finally:
            lane = self._lanes.pop("head", None)
            if lane is not None:
                self._reserve.close_later(lane)

    def _drift(self) -> None:
        lane = self.lane("head")
        if self.settings.models:
            metadata: Any = load_metadata(self.settings.models)
        else:
            metadata = self._env_target_metadata(lane)
        if metadata is None:
            raise CheckSkipped(
                "no models to compare: set releasesafe_models = 'package.module:metadata'"
                " or target_metadata in env.py"
            )
        try:
            migrator = lane.at_heads()
        except MigrationFailed as error:
            raise CheckFailed([f"cannot reach head to compare the models: {error}"]) from None
        with migrator.transaction() as connection:
            differences = drift(connection, metadata, migrator.migration_options)
        if differences:
            raise CheckFailed(
                ["the models and the migrated schema differ at head:"]
                + [f"  {d}" for d in differences]
                + ["write a migration for these (alembic revision --autogenerate) or fix the models"]
            )


__all__ = ["CheckFailed", "CheckSkipped", "VerifyError", "VerifySettings", "Verifier"]
