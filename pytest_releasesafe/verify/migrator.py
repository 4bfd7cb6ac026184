"""Run an Alembic history in-process, one revision at a time, on a connection we hold.

`alembic.command.upgrade` re-reads the script directory and re-runs env.py (which opens a new
engine) on every call: tens of milliseconds per step. Here the script directory is loaded once, and
env.py runs once per database only to learn what it passes to `context.configure()` (metadata,
batch mode, version table, hooks). Every later step reuses those options on our own connection, so
env.py files that build their own engine from `sqlalchemy.url` and those that take
`config.attributes["connection"]` behave the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext, MigrationStep
from alembic.script import Script, ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import URL, Connection, Engine

from pytest_releasesafe.verify.snapshot import Snapshot, take_snapshot

StepsFn = Callable[[Any, MigrationContext], Iterable[Any]]


class VerifyError(Exception):
    """A problem with the user's project or database, reported as a message, never a traceback."""


class MigrationFailed(VerifyError):
    """upgrade() or downgrade() of a revision raised."""

    def __init__(
        self,
        direction: str,
        revision: str,
        error: BaseException,
        revision_files: Mapping[str, str] | None = None,
    ) -> None:
        where, failing = _where_in(error, revision_files or {})
        # The revision whose file raised is the one to blame, whatever target the run had
        # ("heads", or a revision above the failing one).
        revision = failing or revision
        self.direction, self.revision, self.error = direction, revision, error
        self.location = where
        super().__init__(
            f"{where}{direction}() of {revision} failed: {type(error).__name__}: {_first_line(error)}"
        )


def _where_in(error: BaseException, files: Mapping[str, str]) -> tuple[str, str]:
    """ "path:line: " of the innermost traceback frame inside a revision file, and that file's
    revision id; empty strings when no revision file is in the traceback."""
    where, revision = "", ""
    traceback = error.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename in files:
            where, revision = f"{filename}:{traceback.tb_lineno}: ", files[filename]
        traceback = traceback.tb_next
    return where, revision


_ASYNC_DRIVERS = {"sqlite": "aiosqlite", "mysql": "aiomysql", "mariadb": "aiomysql", "postgresql": "psycopg"}


def _needs_async_driver(error: BaseException) -> bool:
    return "async driver" in str(error) or "is not async" in str(error)


def _async_variant(url: URL) -> URL | None:
    driver = _ASYNC_DRIVERS.get(url.get_backend_name())
    return url.set(drivername=f"{url.get_backend_name()}+{driver}") if driver else None


def _wants_an_engine(error: BaseException) -> bool:
    return isinstance(error, AttributeError) and getattr(error, "name", "") in ("connect", "begin", "dispose")


class ConnectionAsEngine:
    """Our connection, shaped like the Engine pytest-alembic puts in config.attributes["connection"]:
    `with engine.connect() as connection` (and `engine.begin()`) yield the one connection and leave
    it open; everything else is the connection's own."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        yield self._connection

    begin = connect

    def dispose(self, close: bool = True) -> None:
        """Nothing to release: the connection belongs to the checks."""

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [""])[0]


DEFAULT_SCRIPT_LOCATION = "migrations"


def alembic_config(path: Path, section: str = "alembic") -> Config:
    """The Alembic config at `path`: an alembic.ini, or a migrations directory (with env.py) used
    without one. An ini without `script_location` means `migrations` next to it, as
    pytest-alembic assumes, so its projects run unchanged."""
    if path.is_dir():
        config = Config(ini_section=section)
        config.set_main_option("script_location", str(path).replace("%", "%%"))
        return config
    config = Config(str(path), ini_section=section)
    location = config.get_main_option("script_location") or DEFAULT_SCRIPT_LOCATION
    if ":" not in location and not Path(location).is_absolute():
        # Relative to the ini file (where `alembic` is usually run), not to pytest's directory.
        resolved = path.parent / location
        config.set_main_option("script_location", str(resolved).replace("%", "%%"))
    return config


@dataclass(frozen=True)
class Revision:
    id: str
    label: str  # "<id>_<slug>" as used in item names
    parents: tuple[str, ...]
    path: Path
    script: Script


class MigrationScripts:
    """An Alembic project: its config and revision graph, loaded once."""

    def __init__(self, config_path: Path | str, section: str = "alembic") -> None:
        path = Path(config_path)
        if not path.is_file() and not (path / "env.py").is_file():
            raise VerifyError(f"{path}: Alembic config file not found")
        self.config_path = path.resolve()
        self.section = section
        try:
            self.script = ScriptDirectory.from_config(self.new_config())
            self.script.revision_map.heads  # noqa: B018 - parse every revision file now, report errors early
        except VerifyError:
            raise
        except KeyError as error:  # alembic's way of saying a down_revision is not defined
            raise VerifyError(
                f"{path}: cannot load the Alembic scripts: a revision names down_revision {error.args[0]!r},"
                " which no revision file defines"
            ) from None
        except Exception as error:  # noqa: BLE001 - any load failure is the user's project, told plainly
            raise VerifyError(
                f"{path}: cannot load the Alembic scripts: {type(error).__name__}: {error}"
            ) from None

    def new_config(self) -> Config:
        return alembic_config(self.config_path, self.section)

    @cached_property
    def revisions(self) -> list[Revision]:
        """Every revision, each after all of its ancestors (base first)."""
        scripts = list(self.script.walk_revisions("base", "heads"))
        scripts.reverse()
        return [self._revision(script) for script in scripts]

    def _revision(self, script: Script) -> Revision:
        path = Path(script.path)
        stem = re.sub(r"[^A-Za-z0-9_]+", "_", path.stem)
        label = stem if script.revision in stem else f"{script.revision}_{stem}"
        parents = tuple(script._normalized_down_revisions)
        return Revision(script.revision, label, parents, path, script)

    def get(self, revision_id: str) -> Revision:
        """A revision by id, or by a unique prefix of it as alembic accepts."""
        by_id = self._by_id
        if revision_id in by_id:
            return by_id[revision_id]
        matches = [revision for key, revision in by_id.items() if key.startswith(revision_id)]
        if len(matches) == 1:
            return matches[0]
        problem = "is ambiguous" if matches else "is not in the history"
        raise VerifyError(f"{self.config_path}: revision {revision_id!r} {problem}")

    @cached_property
    def files(self) -> dict[str, str]:
        """The revision files' paths as they appear in tracebacks, with their revision ids."""
        return {str(revision.path): revision.id for revision in self.revisions}

    @cached_property
    def _by_id(self) -> dict[str, Revision]:
        return {revision.id: revision for revision in self.revisions}

    @property
    def heads(self) -> tuple[str, ...]:
        return tuple(self.script.get_heads())

    def ancestors(self, revision_id: str) -> set[str]:
        """`revision_id` and every revision below it."""
        return {
            script.revision
            for script in self.script.revision_map.iterate_revisions(revision_id, "base", implicit_base=True)
        }


@contextmanager
def _recording(env: EnvironmentContext, record: dict[str, dict[str, Any]]) -> Iterator[None]:
    """While active, env.py's configure() options and run_migrations() arguments are recorded and
    no migration runs. Instance attributes, not a subclass: alembic's `context` proxy is keyed by
    the exact class and reads methods from the instance."""
    real_configure = env.configure

    def configure(*args: Any, **kw: Any) -> None:
        record["configure"] = dict(kw)
        real_configure(*args, **kw)

    def run_migrations(**kw: Any) -> None:
        record["run_migrations"] = dict(kw)

    env.configure = configure  # type: ignore[method-assign]
    env.run_migrations = run_migrations  # type: ignore[method-assign]
    try:
        yield
    finally:
        del env.configure, env.run_migrations


_CONNECTION_OPTIONS = ("connection", "url", "dialect_name", "dialect_opts", "as_sql", "literal_binds")


def _keep_prepared_statements(connection: Connection) -> None:
    """psycopg 3 prepares statements it sees repeated and drops every prepared statement of the
    session (DEALLOCATE ALL) after each ALTER, DROP or ROLLBACK it runs: nearly every revision.
    The snapshot's own prepared statement (see snapshot_postgres) would then be planned again
    each time; psycopg's automatic preparing is turned off on the checks' connections instead.
    The SQL a migration sends is the same either way."""
    dbapi: Any = connection.connection.dbapi_connection
    if hasattr(dbapi, "prepare_threshold"):
        dbapi.prepare_threshold = None


class Migrator:
    """One database, moved revision by revision. Not thread-safe; one per database."""

    def __init__(self, scripts: MigrationScripts, engine: Engine) -> None:
        self.scripts = scripts
        self.engine = engine
        self.connection: Connection = engine.connect()
        # Snapshots read the catalog on their own autocommit connection: no BEGIN/COMMIT round
        # trips, and never inside a migration's transaction.
        self._reader: Connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        if self.connection.dialect.name == "postgresql":
            # A throwaway test database: commits need not wait for the WAL to reach the disk. This
            # session-level setting changes nothing on the server for anyone else.
            self.connection.exec_driver_sql("SET synchronous_commit TO off")
            self.connection.commit()
            for connection in (self.connection, self._reader):
                _keep_prepared_statements(connection)
        # While held (see held()), everything runs in one transaction the caller can roll back.
        self._held: Any = None
        self.config = scripts.new_config()
        self._set_url(engine.url)
        self.config.attributes["connection"] = self.connection
        self._environment = EnvironmentContext(self.config, scripts.script, fn=lambda rev, ctx: [])
        try:
            self._record_env_options()
        except BaseException:
            self.close()
            raise

    @property
    def dialect(self) -> str:
        return self.connection.dialect.name

    def _set_url(self, url: URL) -> None:
        self.config.set_main_option("sqlalchemy.url", url.render_as_string(False).replace("%", "%%"))

    def _record_env_options(self) -> None:
        env = self._environment
        env_py = Path(self.scripts.script.dir) / "env.py"
        record: dict[str, dict[str, Any]] = {}
        retried: set[str] = set()
        while True:
            try:
                with _recording(env, record), env:
                    self.scripts.script.run_env()
                break
            except Exception as error:  # noqa: BLE001 - a broken env.py is reported with its path
                async_url = _async_variant(self.engine.url)
                if "engine" not in retried and _wants_an_engine(error):
                    # pytest-alembic's convention: config.attributes["connection"] is an Engine
                    # and env.py calls .connect() on it. Hand it an engine over our connection.
                    retried.add("engine")
                    self.config.attributes["connection"] = ConnectionAsEngine(self.connection)
                    continue
                if "async" not in retried and _needs_async_driver(error) and async_url is not None:
                    # An async env.py (async_engine_from_config): hand it the same database through
                    # the dialect's async driver. Only its configure() options are used.
                    retried.add("async")
                    self._set_url(async_url)
                    continue
                hint = (
                    " (install pytest-releasesafe[async] for async env.py files)"
                    if "greenlet" in str(error)
                    else ""
                )
                raise VerifyError(
                    f"{env_py}: env.py failed: {type(error).__name__}: {_first_line(error)}{hint}"
                ) from None
            finally:
                self._end_transaction(commit=True)
        if "configure" not in record:
            raise VerifyError(f"{env_py}: env.py never calls context.configure()")
        self._options = {k: v for k, v in record["configure"].items() if k not in _CONNECTION_OPTIONS}
        self._migration_kwargs = record.get("run_migrations", {})

    @property
    def target_metadata(self) -> Any:
        return self._options.get("target_metadata")

    @property
    def version_table(self) -> str:
        return self._options.get("version_table", "alembic_version")

    @property
    def migration_options(self) -> dict[str, Any]:
        """configure() options recorded from env.py (without the connection ones)."""
        return dict(self._options)

    @property
    def transactional_ddl(self) -> bool:
        """True where a failed or unwanted migration can be rolled back whole, schema included."""
        return self.dialect == "postgresql"

    @contextmanager
    def held(self) -> Iterator[Callable[[], None]]:
        """Run what follows in one transaction; yields `undo`, which rolls all of it back (the
        schema and the rows as they were before). Without `undo` it is committed at the end.
        Only where DDL is transactional (see transactional_ddl)."""
        self._end_transaction(commit=True)
        self._held = self.connection.begin()
        undone = False

        def undo() -> None:
            nonlocal undone
            undone = True

        try:
            yield undo
        except BaseException:
            undone = True
            raise
        finally:
            held, self._held = self._held, None
            if held is not None and held.is_active:  # not already ended by close()
                if undone:
                    held.rollback()
                else:
                    held.commit()

    def _end_transaction(self, commit: bool) -> None:
        if self._held is not None:
            return  # the held transaction ends as a whole
        if self.connection.in_transaction():
            if commit:
                self.connection.commit()
            else:
                self.connection.rollback()

    def _run(self, fn: StepsFn, on_version_apply: Callable[..., None] | None = None) -> None:
        env = self._environment
        self._end_transaction(commit=True)
        env.context_opts = {"fn": fn, "as_sql": False}
        options = self._options
        if on_version_apply is not None:
            theirs = options.get("on_version_apply") or ()
            theirs = (theirs,) if callable(theirs) else tuple(theirs)
            options = {**options, "on_version_apply": (*theirs, on_version_apply)}
        try:
            with env:
                env.configure(connection=self.connection, **options)
                with env.begin_transaction():
                    env.run_migrations(**self._migration_kwargs)
        except BaseException:
            self._end_transaction(commit=False)
            raise
        self._end_transaction(commit=True)

    # -- moving the database ------------------------------------------------------------------

    def heads(self) -> tuple[str, ...]:
        self._end_transaction(commit=True)
        context = MigrationContext.configure(
            self.connection, opts={"version_table": self.version_table, **self._version_opts()}
        )
        heads = context.get_current_heads()
        self._end_transaction(commit=True)
        return tuple(sorted(heads))

    def _version_opts(self) -> dict[str, Any]:
        return {k: v for k, v in self._options.items() if k in ("version_table_schema", "version_table_pk")}

    def upgrade(self, target: str = "heads") -> None:
        """Upgrade to `target` and everything it needs (alembic's own upgrade)."""
        script = self.scripts.script
        self._guarded("upgrade", target, lambda rev, ctx: script._upgrade_revs(target, rev))

    def downgrade(self, target: str = "base") -> None:
        script = self.scripts.script
        self._guarded("downgrade", target, lambda rev, ctx: script._downgrade_revs(target, rev))

    def step_up(self, revision_id: str) -> None:
        """Apply upgrade() of exactly this revision; its parents must be applied."""
        self.steps([("upgrade", revision_id)])

    def step_down(self, revision_id: str) -> None:
        """Apply downgrade() of exactly this revision; it must be a current head."""
        self.steps([("downgrade", revision_id)])

    def steps(
        self, steps: list[tuple[str, str]], between: Mapping[int, Callable[[Connection], None]] | None = None
    ) -> None:
        """Apply single-revision steps ("upgrade"/"downgrade", id) in one alembic run: one env
        set-up and one version-table read for all of them. MigrationFailed names the step that failed.

        `between[i]` runs on the migration's own connection right after step i, inside the run
        (nothing committed in between): a check there saves a second run. Whatever it raises
        ends the run and comes out as it is, not as MigrationFailed."""
        revision_map = self.scripts.script.revision_map
        make = {
            "upgrade": MigrationStep.upgrade_from_script,
            "downgrade": MigrationStep.downgrade_from_script,
        }
        migration_steps = [
            make[direction](revision_map, self.scripts.get(revision_id).script)
            for direction, revision_id in steps
        ]
        done: list[object] = []
        ours: list[BaseException] = []

        def applied(**kw: Any) -> None:
            done.append(kw)
            check = (between or {}).get(len(done) - 1)
            if check is not None:
                try:
                    check(self.connection)
                except BaseException as error:
                    ours.append(error)
                    raise

        try:
            self._run(lambda rev, ctx: migration_steps, on_version_apply=applied)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # noqa: BLE001 - the user's migration failed: report, not crash
            if ours and error is ours[0]:
                raise
            direction, revision_id = steps[min(len(done), len(steps) - 1)]
            raise MigrationFailed(direction, revision_id, error, self.scripts.files) from error

    def _guarded(self, direction: str, revision: str, fn: StepsFn) -> None:
        try:
            self._run(fn)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # noqa: BLE001 - the user's migration failed: report, not crash
            raise MigrationFailed(direction, revision, error, self.scripts.files) from error

    # -- looking at the database --------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        self._end_transaction(commit=True)
        # Inside a held transaction only its own connection sees what it changed.
        reader = self.connection if self._held is not None else self._reader
        return take_snapshot(reader, frozenset({self.version_table}))

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        result = self.connection.execute(text(sql), params or {})
        return result

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        self._end_transaction(commit=True)
        try:
            yield self.connection
        except BaseException:
            self._end_transaction(commit=False)
            raise
        self._end_transaction(commit=True)

    def close(self) -> None:
        if self._held is not None:
            self._held.rollback()
            self._held = None
        self._end_transaction(commit=False)
        self.connection.close()
        self._reader.close()
