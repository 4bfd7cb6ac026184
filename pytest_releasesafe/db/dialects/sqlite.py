"""SQLite: each database is a file in the server's private directory; a clone is a backup copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import URL, Engine


class SqliteOps:
    dialect = "sqlite"

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, name: str) -> Path:
        return self.directory / f"{name}.sqlite3"

    def server_version(self, admin: Engine) -> tuple[int, ...]:
        return sqlite3.sqlite_version_info

    def database_url(self, admin_url: URL, name: str) -> URL:
        return admin_url.set(database=str(self.path(name)))

    def create(self, admin: Engine, name: str, template: str | None) -> None:
        target = self.path(name)
        if target.exists():
            raise FileExistsError(f"database file already exists: {target}")
        destination = sqlite3.connect(target)
        try:
            if template is not None:
                source_path = self.path(template)
                if not source_path.exists():
                    raise FileNotFoundError(f"template database not found: {source_path}")
                # The backup API copies a consistent snapshot even if the template is open elsewhere.
                source = sqlite3.connect(source_path)
                try:
                    source.backup(destination)
                finally:
                    source.close()
        finally:
            destination.close()

    def drop(self, admin: Engine, name: str) -> None:
        base = self.path(name)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(base) + suffix).unlink(missing_ok=True)
