"""Servers for the database tests: the machine's running servers by URL, and our own."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

# In-process pytester runs drop modules first imported inside them; a re-imported psycopg no
# longer matches the exception classes of its already-loaded C extension. Import drivers here.
import psycopg  # noqa: F401, I001
import pymysql  # noqa: F401
import pytest
import sqlalchemy.dialects.mysql.pymysql  # noqa: F401
import sqlalchemy.dialects.postgresql.psycopg  # noqa: F401

from pytest_releasesafe.db import DatabaseUnavailable, Server, get_server

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "db_project"
POSTGRES_URL = os.environ.get(
    "RELEASESAFE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
MYSQL_URL = os.environ.get("RELEASESAFE_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test")


def _server_or_skip(setting: str) -> Server:
    try:
        return get_server(setting)
    except DatabaseUnavailable as error:
        pytest.skip(f"{setting}: {error.reason}")


@pytest.fixture(scope="session")
def postgres_by_url() -> Iterator[Server]:
    server = _server_or_skip(POSTGRES_URL)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def mysql_by_url() -> Iterator[Server]:
    server = _server_or_skip(MYSQL_URL)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def own_postgres() -> Iterator[Server]:
    server = _server_or_skip("postgresql")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def own_mysql() -> Iterator[Server]:
    server = _server_or_skip("mysql")
    yield server
    server.stop()


@pytest.fixture
def db_example(pytester: pytest.Pytester) -> pytest.Pytester:
    """The example project copied into the pytester directory."""
    shutil.copytree(EXAMPLE, pytester.path, dirs_exist_ok=True)
    return pytester
