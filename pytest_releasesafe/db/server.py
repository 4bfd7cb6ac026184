"""Server and Database: the objects every fixture and check works with, whatever started the server."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, Engine, make_url

from pytest_releasesafe.db import janitor
from pytest_releasesafe.db.naming import DEFAULT_PREFIX, check_template_name, unique_name

if TYPE_CHECKING:
    from pytest_releasesafe.db.dialects import DialectOps


class Resource(Protocol):
    """Something we started for a server (a process, a container, a directory) and must undo."""

    def stop(self) -> None: ...


class Server:
    """A reachable database server. `url` points at its maintenance database (an admin connection)."""

    def __init__(
        self,
        url: str | URL,
        ops: DialectOps,
        *,
        owned: Resource | None = None,
        description: str = "",
        version: tuple[int, ...] | None = None,
    ) -> None:
        self._url = make_url(url)
        self.ops = ops
        self._owned = owned
        self.description = description or self._url.render_as_string(hide_password=True)
        self._admin: Engine | None = None
        self._databases: dict[str, Database] = {}
        self._lock = threading.Lock()
        # Without a known version, asking for it is also the check that the server answers.
        self.version: tuple[int, ...] = version or ops.server_version(self.admin_engine())

    @property
    def url(self) -> str:
        return self._url.render_as_string(hide_password=False)

    @property
    def dialect(self) -> str:
        return self.ops.dialect

    @property
    def pid(self) -> int | None:
        """The server's process id when this session started it as a local process."""
        return getattr(self._owned, "pid", None)

    @property
    def started_here(self) -> bool:
        """True when this session started the server (and stop() will stop it)."""
        return self._owned is not None

    def admin_engine(self) -> Engine:
        """An AUTOCOMMIT engine on the maintenance database, for CREATE/DROP DATABASE and the like."""
        with self._lock:  # background clones ask for it too
            if self._admin is None:
                # pool_pre_ping: a shared server may end an idle admin session (wait_timeout, another
                # session's KILL); find out before CREATE/DROP DATABASE rather than fail on it.
                self._admin = create_engine(
                    self._url, isolation_level="AUTOCOMMIT", pool_size=1, pool_pre_ping=True
                )
            return self._admin

    def create_database(
        self, template: str | Database | None = None, *, prefix: str = DEFAULT_PREFIX
    ) -> Database:
        """A new, uniquely named database; with `template`, a clone of that database (by name)."""
        template_name = template.name if isinstance(template, Database) else template
        if template_name is not None:
            check_template_name(template_name)
            with self._lock:
                source = self._databases.get(template_name)
            if source is not None:
                # Postgres refuses to clone a database that has open connections.
                source.dispose()
        name = unique_name(prefix)
        record = None
        if self._owned is None:
            # Written first: a session killed mid-CREATE still leaves a trail to clean up.
            record = janitor.record_database(self.url, name)
        try:
            self.ops.create(self.admin_engine(), name, template_name)
        except BaseException:
            if record is not None:
                janitor.forget(record)
            raise
        database = Database(self, name, record)
        with self._lock:
            self._databases[name] = database
        return database

    def drop_orphans(self) -> list[str]:
        """Drop databases that killed sessions made here (see janitor); returns their names."""
        dropped = []
        for name, record in janitor.orphaned_databases(self.url):
            self.ops.drop(self.admin_engine(), name)
            janitor.forget(record)
            dropped.append(name)
        return dropped

    def _forget(self, name: str) -> None:
        with self._lock:
            self._databases.pop(name, None)

    def stop(self) -> None:
        """Drop the databases still open here, then stop the server if this session started it."""
        with self._lock:
            leftovers = list(self._databases.values())
        if self._owned is None:
            # A server we only connected to outlives us: leave it as we found it.
            for database in leftovers:
                database.drop()
        else:
            for database in leftovers:
                database.dispose()
        if self._admin is not None:
            self._admin.dispose()
            self._admin = None
        if self._owned is not None:
            owned, self._owned = self._owned, None
            owned.stop()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def product(self) -> str:
        """The server as people name it: PostgreSQL, MySQL, MariaDB (the dialect says "mysql" for both)."""
        default = {"postgresql": "PostgreSQL", "mysql": "MySQL", "sqlite": "SQLite"}.get(
            self.dialect, self.dialect
        )
        return getattr(self.ops, "product", default)

    @property
    def label(self) -> str:
        """e.g. "MariaDB 10.11", for reports and messages."""
        return f"{self.product} {'.'.join(map(str, self.version))}"

    def __repr__(self) -> str:
        return f"<Server {self.label} {self.description}>"


class Database:
    """One database on a Server, created by us and dropped by us."""

    def __init__(self, server: Server, name: str, record: Path | None = None) -> None:
        self.server = server
        self.name = name
        self._record = record
        self._url = server.ops.database_url(server._url, name)
        self._engine: Engine | None = None
        self._engine_options: dict[str, Any] = {}
        self.dropped = False

    @property
    def url(self) -> str:
        return self._url.render_as_string(hide_password=False)

    @property
    def dialect(self) -> str:
        return self.server.dialect

    def engine(self, **options: Any) -> Engine:
        """A SQLAlchemy Engine on this database, reused while it is asked for with the same options.

        Options are create_engine() keywords; asking with different ones replaces the engine.
        """
        if self.dropped:
            raise RuntimeError(f"database {self.name} was dropped")
        if self._engine is not None and options and options != self._engine_options:
            self.dispose()
        if self._engine is None:
            self._engine = create_engine(self._url, **options)
            self._engine_options = options
        return self._engine

    def dispose(self) -> None:
        """Close our pooled connections (needed before the database serves as a template)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def drop(self) -> None:
        """Close our connections, end other sessions on it, and drop it. Safe to call twice."""
        if self.dropped:
            return
        self.dispose()
        self.server.ops.drop(self.server.admin_engine(), self.name)
        self.dropped = True
        self.server._forget(self.name)
        if self._record is not None:
            janitor.forget(self._record)

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.drop()

    def __repr__(self) -> str:
        return f"<Database {self.name} on {self.dialect}>"
