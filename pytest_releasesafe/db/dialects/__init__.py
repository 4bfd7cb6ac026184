"""The SQL that creates, clones and drops databases, one module per dialect."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.engine import URL, Engine


class DialectOps(Protocol):
    """What a Server needs from a dialect; admin is an AUTOCOMMIT engine on the maintenance database."""

    dialect: str

    def server_version(self, admin: Engine) -> tuple[int, ...]: ...

    def database_url(self, admin_url: URL, name: str) -> URL: ...

    def create(self, admin: Engine, name: str, template: str | None) -> None: ...

    def drop(self, admin: Engine, name: str) -> None: ...


def ops_for(dialect: str) -> DialectOps:
    """Ops for a server dialect; SQLite has no server and is built with its directory instead."""
    if dialect == "postgresql":
        from pytest_releasesafe.db.dialects.postgresql import PostgresOps

        return PostgresOps()
    if dialect == "mysql":
        from pytest_releasesafe.db.dialects.mysql import MysqlOps

        return MysqlOps()
    raise ValueError(f"unsupported dialect {dialect!r}")
