"""Real servers for the verify tests, and a way to run pytest on a copy of an example project."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Imported here, before any inner pytest run: pytester restores sys.modules after each in-process
# run, and modules first imported inside one would be imported again in the next. For the dialects
# that re-registers their SQL functions; for psycopg's C extension it leaves two copies of its
# exception classes, so a connection error escapes the `except` meant for it.
import psycopg  # noqa: F401
import pymysql  # noqa: F401
import pytest
import sqlalchemy.dialects.mysql  # noqa: F401
import sqlalchemy.dialects.mysql.pymysql  # noqa: F401
import sqlalchemy.dialects.postgresql  # noqa: F401
import sqlalchemy.dialects.postgresql.psycopg  # noqa: F401
import sqlalchemy.dialects.sqlite  # noqa: F401

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "alembic_roundtrip"
DIALECTS = ("postgresql", "mysql", "sqlite")


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


def server_or_skip(servers: dict[str, object], dialect: str):  # noqa: ANN201 - a db.Server
    server = servers[dialect]
    if isinstance(server, str):
        pytest.skip(f"no {dialect} server: {server}")
    return server


@pytest.fixture(params=DIALECTS)
def server(request: pytest.FixtureRequest, verify_servers: dict[str, object]):  # noqa: ANN201
    return server_or_skip(verify_servers, request.param)


@pytest.fixture
def postgres(verify_servers: dict[str, object]):  # noqa: ANN201
    return server_or_skip(verify_servers, "postgresql")


@dataclass(frozen=True)
class Outcome:
    passed: list[str]
    failed: dict[str, str]  # nodeid -> failure text
    skipped: dict[str, str]


def copy_example(pytester: pytest.Pytester, name: str) -> Path:
    shutil.copytree(
        EXAMPLES / name, pytester.path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
    )
    return pytester.path


def run_items(pytester: pytest.Pytester, server: object, *args: str) -> Outcome:
    """Run pytest in the project at pytester.path against `server`; outcome per test id."""
    url = server.url  # type: ignore[attr-defined]
    recorder = pytester.inline_run(f"--releasesafe-database={url}", "-p", "no:cacheprovider", *args)
    passed, failed, skipped = [], {}, {}
    for report in recorder.getreports("pytest_runtest_logreport"):
        if report.when == "call" and report.passed:
            passed.append(report.nodeid)
        elif report.failed:
            failed[report.nodeid] = str(report.longrepr)
        elif report.skipped:
            skipped[report.nodeid] = str(report.longrepr)
    for report in recorder.getreports("pytest_collectreport"):
        if report.failed:
            failed[report.nodeid or "<collection>"] = str(report.longrepr)
    return Outcome(passed, failed, skipped)
