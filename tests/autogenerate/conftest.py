"""A real Postgres database per test, from the machine's server by URL (or our own server)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import psycopg  # noqa: F401  (imported before any pytester run, as in tests/db)
import pytest

from pytest_releasesafe.db import Database, DatabaseUnavailable, Server, get_server

POSTGRES_URL = os.environ.get(
    "RELEASESAFE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server]:
    try:
        server = get_server(POSTGRES_URL)
    except DatabaseUnavailable as error:
        pytest.skip(f"no PostgreSQL for the autogenerate tests: {error.reason}")
    yield server
    server.stop()


@pytest.fixture
def database(postgres: Server) -> Iterator[Database]:
    database = postgres.create_database()
    yield database
    database.drop()
