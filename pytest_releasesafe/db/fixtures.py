"""pytest options and fixtures for real databases.

The settings (the database: --releasesafe-database, then RELEASESAFE_DATABASE, then the ini key
releasesafe_database, then "postgresql") are declared in pytest_releasesafe.settings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from pytest_releasesafe.settings import plugin_settings

if TYPE_CHECKING:
    from pytest_releasesafe.db.migrate import AlembicSource
    from pytest_releasesafe.db.pool import ServerPool
    from pytest_releasesafe.db.server import Database, Server

DEFAULT_DATABASE = "postgresql"
ENV_DATABASE = "RELEASESAFE_DATABASE"


def database_setting(config: pytest.Config) -> str:
    return plugin_settings(config).database


def pytest_configure(config: pytest.Config) -> None:
    from pytest_releasesafe.db.errors import BadDatabaseSetting
    from pytest_releasesafe.db.spec import parse_spec

    try:
        parse_spec(database_setting(config))
    except BadDatabaseSetting as error:
        raise pytest.UsageError(f"releasesafe_database: {error}") from None


def pytest_report_header(config: pytest.Config) -> str | None:
    """Say which database the fixtures will use, and where the setting came from."""
    settings = plugin_settings(config)
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
        pytest.skip(f"no database server for {setting!r}: {error.reason}")


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
