"""A PostgreSQL server for the trace tests, fresh databases on it, the example's trace."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from trace_helpers import EXAMPLE_CONFIG


@pytest.fixture(scope="session")
def trace_server() -> Iterator[Any]:
    """The server RELEASESAFE_DATABASE names when it is PostgreSQL, else one found or started here."""
    from pytest_releasesafe.db import DatabaseUnavailable, get_server

    setting = os.environ.get("RELEASESAFE_DATABASE", "").strip()
    if not setting.startswith("postgres"):
        setting = "postgresql"
    try:
        server = get_server(setting)
    except DatabaseUnavailable as error:
        pytest.skip(f"no PostgreSQL server for the trace tests: {error.reason}")
    yield server
    server.stop()


@pytest.fixture
def database_url(trace_server: Any) -> Iterator[str]:
    """A fresh database, dropped after the test."""
    with trace_server.create_database(prefix="trace") as database:
        yield database.url


@pytest.fixture(scope="session")
def example_trace(trace_server: Any) -> Any:
    """The trace of examples/trace_project, taken once (the tests only read it)."""
    from pytest_releasesafe.verify.trace.runner import AlembicProject, trace_migrations

    with trace_server.create_database(prefix="trace") as database:
        return trace_migrations(AlembicProject(EXAMPLE_CONFIG), database.url)
