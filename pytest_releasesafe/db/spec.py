"""Parse the database setting: `postgresql`, `postgresql:16`, `mysql`, `mariadb`, `sqlite` or a URL."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pytest_releasesafe.db.errors import BadDatabaseSetting

DIALECTS = ("postgresql", "mysql", "sqlite")

_ALIASES = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "pg": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
    "sqlite3": "sqlite",
}

# The drivers this project installs; a URL without a driver gets these instead of SQLAlchemy's
# defaults (psycopg2, mysqlclient), which are usually not installed.
_DEFAULT_DRIVERS = {"postgresql": "psycopg", "mysql": "pymysql", "mariadb": "pymysql"}

_VERSION = re.compile(r"^\d+(\.\d+)*$")


@dataclass(frozen=True)
class DatabaseSpec:
    """What the user asked for: a kind of server (optionally a major version) or a URL to use as is."""

    dialect: str
    version: tuple[int, ...] | None = None
    url: str | None = None
    text: str = ""

    def __str__(self) -> str:
        return self.text or self.dialect


def parse_spec(text: str) -> DatabaseSpec:
    """Turn the setting into a DatabaseSpec; anything unclear raises BadDatabaseSetting quoting it."""
    text = text.strip()
    if not text:
        raise BadDatabaseSetting("the database setting is empty; use postgresql, mysql, sqlite or a URL")
    if "://" in text:
        return _parse_url(text)
    name, _, version_text = text.partition(":")
    dialect = _ALIASES.get(name.lower())
    if dialect is None:
        raise BadDatabaseSetting(
            f"unknown database {text!r}: use postgresql, postgresql:16, mysql, mariadb, sqlite or a URL"
        )
    version = None
    if version_text:
        if not _VERSION.match(version_text):
            raise BadDatabaseSetting(f"bad version in database setting {text!r}: expected e.g. {name}:16")
        version = tuple(int(part) for part in version_text.split("."))
    return DatabaseSpec(dialect=dialect, version=version, text=text)


def _parse_url(text: str) -> DatabaseSpec:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as error:
        raise BadDatabaseSetting(f"bad database URL {redact(text)!r}: {error}") from None
    backend = url.get_backend_name()
    dialect = _ALIASES.get(backend)
    if dialect is None:
        raise BadDatabaseSetting(
            f"unsupported database URL {redact(text)!r}: expected postgresql://, mysql:// or sqlite://"
        )
    if "+" not in url.drivername and backend in _DEFAULT_DRIVERS:
        url = url.set(drivername=f"{backend}+{_DEFAULT_DRIVERS[backend]}")
    if dialect == "sqlite" and url.database in (None, "", ":memory:"):
        raise BadDatabaseSetting(
            f"database URL {text!r} names no file: in-memory SQLite cannot be shared; use sqlite or sqlite:///path"
        )
    return DatabaseSpec(dialect=dialect, url=url.render_as_string(hide_password=False), text=text)


def redact(text: str) -> str:
    """Hide a password in a URL we could not parse (the URL object cannot do it for us then)."""
    from pytest_releasesafe.redact import redact as redact_text

    return redact_text(text)
