"""pytest options and fixtures for real databases.

The settings (the database: --releasesafe-database, then RELEASESAFE_DATABASE, then the ini key
releasesafe_database, then "postgresql") are declared in pytest_releasesafe.settings.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, NoReturn

import pytest

from pytest_releasesafe.settings import plugin_settings

if TYPE_CHECKING:
    import pluggy

    from pytest_releasesafe.db.migrate import AlembicSource
    from pytest_releasesafe.db.pool import ServerPool
    from pytest_releasesafe.db.server import Database, Server

DEFAULT_DATABASE = "postgresql"
ENV_DATABASE = "RELEASESAFE_DATABASE"


def database_setting(config: pytest.Config) -> str:
    return plugin_settings(config).database


def pytest_configure(config: pytest.Config) -> None:
    if not _url_checked_at_session_start(config):
        _check_database_setting(config)


def _check_database_setting(config: pytest.Config) -> None:
    from pytest_releasesafe.db.errors import BadDatabaseSetting
    from pytest_releasesafe.db.spec import parse_spec

    try:
        parse_spec(database_setting(config))
    except BadDatabaseSetting as error:
        raise pytest.UsageError(f"releasesafe_database: {_shown(str(error))}") from None


def _url_checked_at_session_start(config: pytest.Config) -> bool:
    """A URL setting in the xdist controller: it runs no test and needs no database (each worker
    checks the setting again at its own configure), and parsing a URL imports SQLAlchemy (~0.1 s),
    which would delay the workers' start."""
    controller = not hasattr(config, "workerinput") and config.getoption("dist", "no") != "no"
    return controller and "://" in database_setting(config)


@pytest.hookimpl(wrapper=True)
def pytest_sessionstart(session: pytest.Session) -> Generator[None, None, None]:
    """Redact database passwords in every log record pytest captures, shows or writes to a file."""
    from pytest_releasesafe.redact import RedactingFilter

    logging_plugin = session.config.pluginmanager.get_plugin("logging-plugin")
    for name in ("caplog_handler", "report_handler", "log_cli_handler", "log_file_handler"):
        handler = getattr(logging_plugin, name, None)
        if handler is not None and not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
    yield
    if _url_checked_at_session_start(session.config):
        # After xdist has started its workers; a bad URL still ends the run as a usage error,
        # before any test.
        _check_database_setting(session.config)


SKIP_PREFIX = "no database server for "


def skip_without_server(setting: str, reason: str) -> NoReturn:
    """Skip a test whose database cannot be had here; the reason never shows a password."""
    pytest.skip(_shown(f"{SKIP_PREFIX}{setting!r}: {reason}"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pluggy.Result[pytest.TestReport], None]:
    """Every test skipped for want of the same server shares one location (the configuration), so
    `-ra` gives the reason once with a count instead of once per test."""
    outcome = yield
    report = outcome.get_result()
    longrepr = report.longrepr
    if report.skipped and call.when == "setup" and isinstance(longrepr, tuple) and len(longrepr) == 3:
        if str(longrepr[2]).removeprefix("Skipped: ").startswith(SKIP_PREFIX):
            # pytest shows a skip without a line as its path alone; its annotation says int.
            report.longrepr = ("releasesafe_database", None, longrepr[2])  # type: ignore[assignment]


def pytest_report_header(config: pytest.Config) -> str | None:
    """Say which database the fixtures will use, and where the setting came from."""
    settings = plugin_settings(config)
    if settings.database_source == "default":
        return None  # a project that configures nothing gets no line from us
    return f"releasesafe database: {_shown(settings.database)} ({settings.database_source})"


def _shown(setting: str) -> str:
    from pytest_releasesafe.db.spec import redact

    return redact(setting)


def alembic_source(config: pytest.Config) -> AlembicSource:
    from pytest_releasesafe.db.migrate import AlembicSource, resolve_script_location

    settings = plugin_settings(config)
    ini = settings.alembic_config_or_default(config.rootpath)
    schema_from = settings.schema_from
    location = resolve_script_location(schema_from) if schema_from else None
    return AlembicSource(ini=ini, script_location=location)


def fresh_database(
    pool: ServerPool, server: Server, migrated_for: pytest.Config | None
) -> Iterator[Database]:
    """Yield a new database, then drop it; with `migrated_for`, a clone of the migrated template.

    A configuration that cannot be used (no alembic.ini, no migrations under the schema-from path)
    fails the test with the path named and no traceback; a failing migration keeps its traceback.
    """
    from pytest_releasesafe.db.migrate import MigrationSetupError

    template = None
    if migrated_for is not None:
        try:
            template = pool.migrated_template(server, alembic_source(migrated_for))
        except MigrationSetupError as error:
            pytest.fail(str(error), pytrace=False)
    database = pool.supply.take(server, template)
    try:
        yield database
    finally:
        pool.supply.give_back(database)


@pytest.fixture(scope="session")
def releasesafe_server_pool() -> Iterator[ServerPool]:
    """Every server and template of this session; all are stopped and dropped at its end."""
    from pytest_releasesafe.db.pool import ServerPool

    pool = ServerPool()
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture(scope="session")
def releasesafe_server(request: pytest.FixtureRequest, releasesafe_server_pool: ServerPool) -> Server:
    """The session's database server (see releasesafe_database setting); skips when none can be had."""
    from pytest_releasesafe.db.errors import DatabaseUnavailable

    setting = database_setting(request.config)
    try:
        return releasesafe_server_pool.server(setting)
    except DatabaseUnavailable as error:
        skip_without_server(setting, error.reason)


@pytest.fixture
def releasesafe_database(
    releasesafe_server_pool: ServerPool, releasesafe_server: Server
) -> Iterator[Database]:
    """A fresh, empty database for one test, dropped after it."""
    yield from fresh_database(releasesafe_server_pool, releasesafe_server, None)


@pytest.fixture
def migrated_database(
    request: pytest.FixtureRequest, releasesafe_server_pool: ServerPool, releasesafe_server: Server
) -> Iterator[Database]:
    """A fresh database at the Alembic head, cloned from a template migrated once per session."""
    yield from fresh_database(releasesafe_server_pool, releasesafe_server, request.config)
