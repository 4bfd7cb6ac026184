"""Fixtures for the compat tests: real servers, and the example app's two-release git history."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from compat_helpers import build_history, leftover_databases

DIALECTS = ("postgresql", "mysql")


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[[str | None], Path]:
    def make(release_2: str | None) -> Path:
        return build_history(tmp_path / "shop", release_2)

    return make


@pytest.fixture(scope="session")
def servers() -> Iterator[dict[str, object]]:
    """One server per dialect for the whole session (started here or found); absent ones map to the reason."""
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
def database_url(request: pytest.FixtureRequest, servers: dict[str, object]) -> Iterator[str]:
    """The URL of a running server of each dialect; after the test, no compat database is left on it."""
    server = servers[request.param]
    if isinstance(server, str):
        pytest.skip(f"no {request.param} server: {server}")
    yield server.url  # type: ignore[attr-defined]
    assert leftover_databases(server) == []


@pytest.fixture
def postgres_url(servers: dict[str, object]) -> str:
    """For tests whose subject does not depend on the dialect."""
    server = servers["postgresql"]
    if isinstance(server, str):
        pytest.skip(f"no postgresql server: {server}")
    return server.url  # type: ignore[attr-defined]
