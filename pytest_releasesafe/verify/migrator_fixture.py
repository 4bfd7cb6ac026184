"""`releasesafe_migrator`: move a test database through the history and look at its rows.

def test_backfill(releasesafe_migrator):
    releasesafe_migrator.upgrade("3d30")
    releasesafe_migrator.insert("users", [{"id": 1, "email": "a@example.com", "name": "Ada"}])
    releasesafe_migrator.upgrade("4e40")
    assert releasesafe_migrator.rows("users")[0]["full_name"] == "Ada"
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from pytest_releasesafe.verify.migrator import MigrationScripts, Migrator
from pytest_releasesafe.verify.snapshot import Snapshot


class MigratorFixture:
    def __init__(self, scripts: MigrationScripts, engine: Engine) -> None:
        self._migrator = Migrator(scripts, engine)

    @property
    def connection(self) -> sa.Connection:
        return self._migrator.connection

    def upgrade(self, revision: str = "heads") -> None:
        """Upgrade to `revision` (any alembic target: an id, "heads", "+1")."""
        self._migrator.upgrade(revision)

    def downgrade(self, revision: str = "base") -> None:
        """Downgrade to `revision` (any alembic target: an id, "base", "-1")."""
        self._migrator.downgrade(revision)

    def heads(self) -> tuple[str, ...]:
        return self._migrator.heads()

    def _table(self, name: str) -> sa.Table:
        with self._migrator.transaction() as connection:
            return sa.Table(name, sa.MetaData(), autoload_with=connection)

    def insert(self, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
        """Insert rows (dicts of column -> value) into `table` as it is now, and commit."""
        reflected = self._table(table)
        rows = [dict(row) for row in rows]
        if rows:
            with self._migrator.transaction() as connection:
                connection.execute(reflected.insert(), rows)

    def rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of `table`, as dicts, ordered by primary key (or by all columns)."""
        reflected = self._table(table)
        order = list(reflected.primary_key.columns) or list(reflected.columns)
        with self._migrator.transaction() as connection:
            return [dict(row._mapping) for row in connection.execute(sa.select(reflected).order_by(*order))]

    def schema(self) -> Snapshot:
        """The schema as a comparable Snapshot (tables, columns, keys, indexes, types, views...)."""
        return self._migrator.snapshot()

    def close(self) -> None:
        self._migrator.close()
