"""Real databases for tests: start or connect to a server, hand out fresh databases, clean up.

    from pytest_releasesafe.db import get_server
    server = get_server("postgresql")       # or "postgresql:16", "mysql", "sqlite", a URL
    db = server.create_database()           # fresh, uniquely named; template="name" clones
    db.engine()                             # SQLAlchemy Engine
    db.drop(); server.stop()

Attributes are imported on first use so that loading the pytest plugin does not import SQLAlchemy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytest_releasesafe.db.errors import BadDatabaseSetting, DatabaseUnavailable, ServerStartError
    from pytest_releasesafe.db.provision import get_server
    from pytest_releasesafe.db.server import Database, Server
    from pytest_releasesafe.db.spec import DatabaseSpec, parse_spec

_EXPORTS = {
    "BadDatabaseSetting": "pytest_releasesafe.db.errors",
    "DatabaseUnavailable": "pytest_releasesafe.db.errors",
    "ServerStartError": "pytest_releasesafe.db.errors",
    "get_server": "pytest_releasesafe.db.provision",
    "Database": "pytest_releasesafe.db.server",
    "Server": "pytest_releasesafe.db.server",
    "DatabaseSpec": "pytest_releasesafe.db.spec",
    "parse_spec": "pytest_releasesafe.db.spec",
}

__all__ = [
    "BadDatabaseSetting",
    "Database",
    "DatabaseSpec",
    "DatabaseUnavailable",
    "Server",
    "ServerStartError",
    "get_server",
    "parse_spec",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
