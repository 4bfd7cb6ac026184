"""Helpers the verify tests import (kept out of conftest.py: `from conftest import` is ambiguous
when several test folders each have one)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "alembic_roundtrip"
DIALECTS = ("postgresql", "mysql", "sqlite")


def server_or_skip(servers: dict[str, object], dialect: str):  # noqa: ANN201 - a db.Server
    server = servers[dialect]
    if isinstance(server, str):
        pytest.skip(f"no {dialect} server: {server}")
    return server


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


def run_sql(engine: sa.Engine, statements: list[str]) -> None:
    """Each statement as the driver takes it (a literal % doubled), in one transaction."""
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement.replace("%", "%%"))
