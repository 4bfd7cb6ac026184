"""Markers for tests that need a database server, so `pytest -m "not postgres and not mysql"` runs
everything else on a machine without one.

A whole folder of database tests is marked by where it lives; elsewhere a test is marked when its
own code (or a fixture it uses from its module) talks to a server. Explicit marks are kept.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

# Folders whose every test runs pytest or the tools on real databases.
DATABASE_FOLDERS = {"db", "verify", "trace", "compat", "autogenerate", "sizes"}
_POSTGRES = re.compile(r"postgres|psycopg|5432|get_server|releasesafe_database|migrated_database", re.I)
_MYSQL = re.compile(r"mysql|mariadb|pymysql|3306", re.I)


def _source(obj: object) -> str:
    try:
        return inspect.getsource(obj)  # type: ignore[arg-type]
    except (OSError, TypeError):
        return ""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tests = Path(__file__).parent
    for item in items:
        path = Path(str(item.path))
        try:
            folder = path.relative_to(tests).parts[0]
        except (ValueError, IndexError):
            continue
        function = getattr(item, "function", None)
        text = _source(function) if function is not None else ""
        module = getattr(item, "module", None)
        fixtures = getattr(item, "fixturenames", ())
        for name in fixtures:  # the module's own fixtures that connect (e.g. a `postgres` fixture)
            fixture = getattr(module, name, None)
            if fixture is not None:
                text += _source(getattr(fixture, "__wrapped__", fixture))
        text += " ".join(fixtures) + " " + item.name
        if folder in DATABASE_FOLDERS or _POSTGRES.search(text):
            item.add_marker(pytest.mark.postgres)
        if _MYSQL.search(text) or (folder in DATABASE_FOLDERS and _MYSQL.search(item.nodeid)):
            item.add_marker(pytest.mark.mysql)
