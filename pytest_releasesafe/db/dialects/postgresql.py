"""PostgreSQL: databases are cloned with CREATE DATABASE ... TEMPLATE, dropped WITH (FORCE)."""

from __future__ import annotations

import time

from sqlalchemy import text
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import OperationalError


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class PostgresOps:
    dialect = "postgresql"

    def __init__(self) -> None:
        self._version: tuple[int, ...] | None = None

    def server_version(self, admin: Engine) -> tuple[int, ...]:
        if self._version is None:
            with admin.connect() as connection:
                number = int(connection.execute(text("SHOW server_version_num")).scalar_one())
            # Since version 10 the number is major * 10000 + minor.
            if number >= 100000:
                self._version = (number // 10000, number % 10000)
            else:
                self._version = (number // 10000, number // 100 % 100, number % 100)
        return self._version

    def database_url(self, admin_url: URL, name: str) -> URL:
        return admin_url.set(database=name)

    def create(self, admin: Engine, name: str, template: str | None) -> None:
        statement = f"CREATE DATABASE {quote(name)}"
        if template:
            statement += f" TEMPLATE {quote(template)}"
        # A template briefly held by someone else (a pooled connection being closed, autovacuum)
        # makes the clone fail with "being accessed by other users"; that clears within moments.
        deadline = time.monotonic() + 5.0
        while True:
            try:
                with admin.connect() as connection:
                    connection.execute(text(statement))
                return
            except OperationalError as error:
                if "being accessed by other users" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def drop(self, admin: Engine, name: str) -> None:
        version = self.server_version(admin)
        with admin.connect() as connection:
            if version >= (13,):
                connection.execute(text(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)"))
                return
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            connection.execute(text(f"DROP DATABASE IF EXISTS {quote(name)}"))
