"""The migration checks, each a method a test item calls: history, upgrade, stairway, data, drift.

A check either returns (passed), raises CheckFailed with one sentence per problem, or raises
CheckSkipped saying why it could not run. Nothing here knows about pytest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from pytest_releasesafe.verify.data_compare import lost_data
from pytest_releasesafe.verify.diff import after_downgrade, compare, describe
from pytest_releasesafe.verify.drift import drift, load_metadata
from pytest_releasesafe.verify.history import history_problems, read_history, read_revision_file
from pytest_releasesafe.verify.lane import DatabaseHandle, Lane
from pytest_releasesafe.verify.migrator import (
    MigrationFailed,
    MigrationScripts,
    Migrator,
    Revision,
    VerifyError,
)
from pytest_releasesafe.verify.rows import generate_rows, insert_all, read_all
from pytest_releasesafe.verify.snapshot import Snapshot


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


_NON_TRANSACTIONAL_DDL = ("mysql", "mariadb")


def check_history(settings: VerifySettings) -> None:
    """Reads the revision files only: works even when alembic cannot load the history."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    try:
        config = Config(str(settings.alembic_config), ini_section=settings.alembic_section)
        locations = [Path(p) for p in ScriptDirectory.from_config(config)._version_locations]
    except Exception as error:  # noqa: BLE001 - a broken config is a finding, not a crash
        raise CheckFailed([f"{settings.alembic_config}: {error}"]) from None
    files = read_history(locations)
    if not files:
        raise CheckFailed([f"{', '.join(map(str, locations))}: no revision files"])
    problems = [str(p) for p in history_problems(files, settings.heads)]
    if problems:
        raise CheckFailed(problems)


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

    def __init__(self, settings: VerifySettings, new_database: Callable[[], DatabaseHandle]) -> None:
        self.settings = settings
        self._new_database = new_database
        self._scripts: MigrationScripts | None = None
        self._lanes: dict[str, Lane] = {}
        self._floor_ancestors: set[str] | None = None
        # Revisions whose data check runs in this session too: their stairway seeds the tables
        # and answers both checks in one pass (see check_stairway).
        self.fold_data: frozenset[str] = frozenset()
        self._folded_data: dict[str, _DataOutcome] = {}

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
            self._lanes[name] = Lane(self.scripts, self._new_database)
        return self._lanes[name]

    def below_floor(self, revision: Revision) -> bool:
        if not self.settings.floor:
            return False
        if self._floor_ancestors is None:
            try:
                floor = self.scripts.get(self.settings.floor)
            except VerifyError as error:
                raise VerifyError(f"releasesafe_floor = {self.settings.floor}: {error}") from None
            self._floor_ancestors = self.scripts.ancestors(floor.id)
        return revision.id in self._floor_ancestors

    def close(self) -> None:
        errors = []
        for lane in self._lanes.values():
            try:
                lane.close()
            except Exception as error:  # noqa: BLE001 - close every lane, then report
                errors.append(error)
        self._lanes.clear()
        if errors:
            raise errors[0]

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
        try:
            migrator.upgrade("heads")
        except MigrationFailed as error:
            lane.dirty = True
            raise self._failure(error, Snapshot(), migrator) from None
        lane.applied = {revision.id for revision in self.scripts.revisions}
        reached, expected = migrator.heads(), tuple(sorted(self.scripts.heads))
        if reached != expected:
            lane.dirty = True
            raise CheckFailed([f"upgrade to heads ends at {reached}, expected {expected}"])

    def check_stairway(self, revision: Revision) -> None:
        """Upgrade alone, downgrade to the parent without a trace, upgrade again."""
        lane = self.lane("stairway")
        if (
            revision.id in self.fold_data
            and not self.below_floor(revision)
            and self._irreversible(revision) is None
        ):
            if self._stairway_with_rows(lane, revision):
                return
            # Something failed with rows in the tables. Run both checks the plain way, each on
            # a database of its own, so each reports exactly its own findings.
            lane.dirty = True
        elif lane.kept_rows.holds_rows:
            lane.dirty = True  # the plain stairway runs on empty tables
        migrator = lane.at_parents_of(revision)
        before = lane.snapshot()
        irreversible = None if self.below_floor(revision) else self._irreversible(revision)
        if irreversible is not None or self.below_floor(revision):
            # Prove the upgrade alone; the downgrade is either not required or not there to run.
            try:
                migrator.step_up(revision.id)
            except MigrationFailed as error:
                lane.dirty = True
                raise self._failure(error, before, migrator) from None
            lane.stepped_up(revision)
            if irreversible is not None:
                raise irreversible
            return
        try:
            # One alembic run for both: the state in between is not inspected.
            migrator.steps([("upgrade", revision.id), ("downgrade", revision.id)])
        except MigrationFailed as error:
            lane.dirty = True
            if error.direction == "upgrade":
                raise self._failure(error, before, migrator) from None
            raise self._downgrade_failure(error, revision, migrator) from None
        differences = compare(before, migrator.snapshot())
        if differences:
            lane.dirty = True
            raise CheckFailed([after_downgrade(d, revision.id) for d in differences])
        try:
            migrator.step_up(revision.id)
        except MigrationFailed as error:
            lane.dirty = True
            raise CheckFailed(
                [f"{error} (upgrade() runs once, but not again after its own downgrade())"]
            ) from None
        lane.stepped_up(revision)

    def _stairway_with_rows(self, lane: Lane, revision: Revision) -> bool:
        """The stairway and the data round-trip in one pass: tables hold their generated rows
        (kept from the previous revision where still valid), then upgrade, downgrade, compare the
        schema and the rows with what was there, upgrade again. True when everything held; the
        data check's outcome is then kept for check_data. False (nothing reported) when anything
        failed: the plain checks then run and report."""
        try:
            migrator = lane.at_parents_of(revision)
            schema_before = lane.snapshot()
            tables = lane.tables()
            with migrator.transaction() as connection:
                rows_before, not_seeded = lane.kept_rows.prepare(connection, tables, schema_before)
            migrator.steps([("upgrade", revision.id), ("downgrade", revision.id)])
            schema_after = migrator.snapshot()
            if compare(schema_before, schema_after):
                return False
            with migrator.transaction() as connection:
                rows_after = read_all(connection, tables)
            for table in tables:
                columns = set(schema_after.tables[table.name].columns)
                if lost_data(table, rows_before[table.name], rows_after[table.name], revision.id, columns):
                    return False
            lane.kept_rows.settle(rows_after)
            migrator.step_up(revision.id)
        except (MigrationFailed, sa.exc.DBAPIError):
            # A database error while seeding or reading rows is the plain checks' to report too.
            return False
        lane.stepped_up(revision)
        self._folded_data[revision.id] = _DataOutcome(not_seeded, lane.kept_rows.holds_rows)
        return True

    def _irreversible(self, revision: Revision) -> CheckFailed | None:
        facts = read_revision_file(revision.path)
        if not facts.irreversible:
            return None
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
        if self.below_floor(revision):
            raise CheckSkipped(f"{revision.id} is at or below releasesafe_floor = {self.settings.floor}")
        if read_revision_file(revision.path).irreversible:
            raise CheckSkipped(f"{revision.id} has no downgrade (the stairway check reports it)")
        folded = self._folded_data.pop(revision.id, None)
        if folded is not None:
            return folded.result()
        lane = self.lane("data")
        migrator = lane.at_parents_of(revision)
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
            # One alembic run for both: the data in between is not inspected.
            migrator.steps([("upgrade", revision.id), ("downgrade", revision.id)])
        except MigrationFailed as error:
            lane.dirty = True
            if error.direction == "upgrade":
                failure = self._failure(error, schema_before, migrator)
                failure.messages[0] += f" (with {rows} generated rows in the tables)"
                raise CheckFailed(failure.messages) from None
            raise self._downgrade_failure(error, revision, migrator) from None
        after = migrator.snapshot().tables
        messages: list[str] = []
        with migrator.transaction() as connection:
            still_there = {name: set(after[name].columns) for name in seeded if name in after}
            now = read_all(connection, [seeded[name] for name in still_there], still_there)
            for name, table in seeded.items():
                messages.extend(
                    lost_data(table, before[name], now.get(name), revision.id, still_there.get(name))
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

    def check_drift(self) -> None:
        """At head, the models and the migrated schema agree (autogenerate's comparison)."""
        lane = self.lane("head")
        if self.settings.models:
            metadata: Any = load_metadata(self.settings.models)
        else:
            metadata = lane.migrator.target_metadata
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
