"""Run an Alembic upgrade in-process, traced revision by revision, on a database we were given.

env.py runs as usual (it builds its engine from the config's sqlalchemy.url, which we point at the
trace database); each traced revision's upgrade() is wrapped so that, just before it runs, the
tables seen for the first time are seeded and the set of pre-existing tables is taken, and every
statement it executes is recorded.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import psycopg
from alembic import op
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationStep, RevisionStep
from alembic.script import Script, ScriptDirectory
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from pytest_releasesafe.verify.trace.model import RevisionInfo, TraceFailure, TraceResult
from pytest_releasesafe.verify.trace.observer import LockObserver
from pytest_releasesafe.verify.trace.recorder import StatementRecorder
from pytest_releasesafe.verify.trace.seed import Seeder

DEFAULT_ROWS = 1000


class TraceSetupError(Exception):
    """The trace cannot start: a missing config, an unknown revision, a database that is not Postgres."""


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


@contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    # Alembic resolves script_location and prepend_sys_path against the working directory, and
    # users run `alembic` next to their alembic.ini: do the same.
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


class AlembicProject:
    """An alembic.ini and its revision graph, loaded without touching a database."""

    def __init__(self, config_path: Path | str, section: str = "alembic") -> None:
        self.config_path = Path(config_path).resolve()
        self.section = section
        if not self.config_path.is_file():
            raise TraceSetupError(f"{config_path}: Alembic config file not found")
        with _working_directory(self.config_path.parent):
            try:
                self.script = ScriptDirectory.from_config(self.new_config())
                self.script.revision_map.heads  # noqa: B018 - load every revision now to report errors early
            except Exception as error:  # noqa: BLE001 - a broken project is reported, not raised
                raise TraceSetupError(
                    f"{config_path}: cannot load the Alembic scripts: {_first_line(error)}"
                ) from None

    def new_config(self) -> Config:
        return Config(str(self.config_path), ini_section=self.section)

    def revisions(self, from_rev: str | None = None, to_rev: str = "heads") -> list[Script]:
        """Revisions an upgrade from `from_rev` (exclusive; None: base) to `to_rev` applies, in order."""
        try:
            scripts = list(self.script.iterate_revisions(to_rev, from_rev or "base", implicit_base=True))
        except Exception as error:  # noqa: BLE001 - alembic raises several kinds for bad ranges
            span = f"{from_rev or 'base'}..{to_rev}"
            raise TraceSetupError(f"{self.config_path}: cannot trace {span}: {_first_line(error)}") from None
        scripts.reverse()
        return scripts

    @contextmanager
    def working_directory(self) -> Iterator[None]:
        with _working_directory(self.config_path.parent):
            yield


def postgres_url(url: str | URL) -> URL:
    """The URL with the psycopg 3 driver (our dependency); refuses anything but PostgreSQL."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise TraceSetupError(f"the trace needs PostgreSQL, got a {parsed.get_backend_name()} database")
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def trace_migrations(
    project: AlembicProject,
    database_url: str | URL,
    *,
    rows: int = DEFAULT_ROWS,
    from_rev: str | None = None,
    to_rev: str = "heads",
    progress: Callable[[int, int, str], None] | None = None,
) -> TraceResult:
    """Upgrade the (empty) database at `database_url` to `to_rev`, tracing the revisions after `from_rev`.

    Each traced revision runs on its own (as `alembic upgrade +1` would), in its own transaction:
    locks taken by an earlier revision must not hide those a later one takes. `progress(done, total,
    revision)` is called before each traced revision (and with done == total at the end).
    """
    url = postgres_url(database_url)
    untraced = project.revisions(None, from_rev) if from_rev else []
    traced = project.revisions(from_rev, to_rev)
    result = TraceResult(
        revisions=[RevisionInfo(script.revision, script.doc or "", str(script.path)) for script in traced],
        rows=rows,
    )
    seeder = Seeder(rows)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with ExitStack() as stack:
        try:
            observer = LockObserver(conninfo)
            seeding = psycopg.connect(conninfo)
        except psycopg.Error as error:
            raise TraceSetupError(f"cannot connect to the trace database: {_first_line(error)}") from None
        stack.callback(observer.close)
        stack.callback(seeding.close)
        recorder = StatementRecorder(str(url.database), observer)
        recorder.install(stack)
        run = _Run(project, url, recorder, seeder)
        with project.working_directory():
            try:
                if untraced:
                    run.apply(untraced, traced=False)
                for index, script in enumerate(traced):
                    if progress is not None:
                        progress(index, len(traced), script.revision)
                    seeder.seed_new_tables(seeding)
                    seeding.commit()
                    run.apply([script], traced=True)
            except Exception as error:  # noqa: BLE001 - the user's migration failed: report it, keep the trace
                # Show the database's own error, not SQLAlchemy's wrapper around it.
                cause = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
                message = f"{type(cause).__name__}: {_first_line(cause)}"
                result.failure = TraceFailure(run.current or "env.py", recorder.failed_sql, message)
        if progress is not None:
            progress(len(traced), len(traced), "")
        result.statements = recorder.statements
        result.warnings = seeder.warnings
    return result


class _Run:
    """Applies revisions through the user's env.py, with each upgrade() wrapped for the recorder."""

    def __init__(
        self, project: AlembicProject, url: URL, recorder: StatementRecorder, seeder: Seeder
    ) -> None:
        self.project = project
        self.recorder = recorder
        self.seeder = seeder
        self.config = project.new_config()
        self.config.set_main_option(
            "sqlalchemy.url", url.render_as_string(hide_password=False).replace("%", "%%")
        )
        self.current: str | None = None  # the revision being applied, for failure reports

    def apply(self, scripts: list[Script], *, traced: bool) -> None:
        revision_map = self.project.script.revision_map
        steps = [
            self._wrap(MigrationStep.upgrade_from_script(revision_map, script), traced) for script in scripts
        ]
        destination = scripts[-1].revision
        with EnvironmentContext(
            self.config, self.project.script, fn=lambda heads, context: steps, destination_rev=destination
        ):
            self.project.script.run_env()
        self.current = None

    def _wrap(self, step: MigrationStep, traced: bool) -> MigrationStep:
        upgrade = step.migration_fn
        revision = step.revision.revision if isinstance(step, RevisionStep) else str(step)

        @functools.wraps(upgrade)
        def run(**kw: Any) -> None:
            self.current = revision
            context = op.get_context()
            self.seeder.skip_tables.add(context.version_table)
            if not traced:
                upgrade(**kw)
                return
            raw = op.get_bind().connection.dbapi_connection
            self.recorder.start_revision(revision, raw, context.version_table)
            try:
                upgrade(**kw)
            finally:
                self.recorder.end_revision()

        step.migration_fn = run
        return step
