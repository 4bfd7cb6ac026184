"""Real servers for the verify tests, and a way to run pytest on a copy of an example project."""

from __future__ import annotations

from collections.abc import Iterator

# Imported here, before any inner pytest run: pytester restores sys.modules after each in-process
# run, and modules first imported inside one would be imported again in the next. For the dialects
# that re-registers their SQL functions; for psycopg's C extension it leaves two copies of its
# exception classes, so a connection error escapes the `except` meant for it.
import psycopg  # noqa: F401
import pymysql  # noqa: F401
import pytest
import sqlalchemy as sa
import sqlalchemy.dialects.mysql  # noqa: F401
import sqlalchemy.dialects.mysql.pymysql  # noqa: F401
import sqlalchemy.dialects.postgresql  # noqa: F401
import sqlalchemy.dialects.postgresql.psycopg  # noqa: F401
import sqlalchemy.dialects.sqlite  # noqa: F401
from verify_helpers import DIALECTS, server_or_skip


@pytest.fixture(scope="session")
def verify_servers() -> Iterator[dict[str, object]]:
    """One server per dialect for the session (found or started); an absent one maps to the reason."""
    from pytest_releasesafe.db import DatabaseUnavailable, get_server

    found: dict[str, object] = {}
    for dialect in DIALECTS:
        try:
            found[dialect] = get_server(dialect)
        except DatabaseUnavailable as error:
            found[dialect] = error.reason
    yield found
    for server in found.values():
        if not isinstance(server, str):
            server.stop()  # type: ignore[attr-defined]


@pytest.fixture(params=DIALECTS)
def server(request: pytest.FixtureRequest, verify_servers: dict[str, object]):  # noqa: ANN201
    return server_or_skip(verify_servers, request.param)


@pytest.fixture
def postgres(verify_servers: dict[str, object]):  # noqa: ANN201
    return server_or_skip(verify_servers, "postgresql")


@pytest.fixture
def pg_engine(postgres) -> Iterator[sa.Engine]:  # noqa: ANN001 - a db.Server
    """An engine on a new, empty PostgreSQL database, dropped afterwards."""
    database = postgres.create_database()
    engine = database.engine()
    try:
        yield engine
    finally:
        engine.dispose()
        database.drop()
