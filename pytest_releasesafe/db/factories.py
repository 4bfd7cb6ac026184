"""Declare more servers and databases in a conftest.py, e.g. PostgreSQL and MariaDB in one run:

from pytest_releasesafe.db import factories

mariadb_server = factories.server_fixture("mysql")
mariadb_database = factories.database_fixture("mariadb_server")
mariadb_migrated = factories.database_fixture("mariadb_server", migrated=True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pytest_releasesafe.db.errors import DatabaseUnavailable


def server_fixture(setting: str, *, scope: str = "session") -> Callable[..., Any]:
    """A fixture giving a Server for `setting` (postgresql, postgresql:16, mysql, sqlite or a URL)."""
    from pytest_releasesafe.db.spec import parse_spec

    parse_spec(setting)  # a typo fails at import of the conftest, naming the setting

    @pytest.fixture(scope=scope)  # type: ignore[call-overload]
    def _server(releasesafe_server_pool: Any) -> Any:
        from pytest_releasesafe.db.fixtures import skip_without_server

        try:
            return releasesafe_server_pool.server(setting)
        except DatabaseUnavailable as error:
            skip_without_server(setting, error.reason)

    return _server


def database_fixture(server_fixture_name: str, *, migrated: bool = False) -> Callable[..., Any]:
    """A function-scoped fresh database on the server fixture named `server_fixture_name`.

    With migrated=True it is a clone of a template at the Alembic head (migrated once per session).
    """

    @pytest.fixture
    def _database(request: pytest.FixtureRequest, releasesafe_server_pool: Any) -> Iterator[Any]:
        from pytest_releasesafe.db.fixtures import fresh_database

        server = request.getfixturevalue(server_fixture_name)
        yield from fresh_database(releasesafe_server_pool, server, request.config if migrated else None)

    return _database
