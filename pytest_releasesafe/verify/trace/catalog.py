"""Catalog reads the tracer makes on a raw DBAPI connection.

Raw cursors on purpose: they do not fire SQLAlchemy events, so the tracer's own queries never show
up in the trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# System schemas hold the catalogs our own queries lock; they are never the migration's business.
_USER_RELATIONS = """
SELECT c.oid, n.nspname, c.relname, c.relkind, c.relfilenode
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
"""

_RELATION_LOCKS = """
SELECT relation, mode, granted FROM pg_locks
WHERE pid = %s AND locktype = 'relation' AND relation IS NOT NULL
"""

_WAITING = "SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted"


@dataclass(frozen=True)
class Relation:
    oid: int
    schema: str
    name: str
    relkind: str
    filenode: int

    @property
    def display_name(self) -> str:
        return self.name if self.schema == "public" else f"{self.schema}.{self.name}"


def _rows(connection: Any, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    cursor = connection.cursor()
    try:
        cursor.execute(sql, params) if params else cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def user_relations(connection: Any) -> dict[int, Relation]:
    return {
        int(oid): Relation(int(oid), schema, name, relkind, int(filenode))
        for oid, schema, name, relkind, filenode in _rows(connection, _USER_RELATIONS)
    }


def backend_pid(connection: Any) -> int:
    return int(_rows(connection, "SELECT pg_backend_pid()")[0][0])


def current_database(connection: Any) -> str:
    return str(_rows(connection, "SELECT current_database()")[0][0])


def relation_locks(connection: Any, pid: int) -> list[tuple[int, str, bool]]:
    """(relation oid, mode, granted) for every relation lock `pid` holds or waits for."""
    return [
        (int(oid), mode, bool(granted)) for oid, mode, granted in _rows(connection, _RELATION_LOCKS, (pid,))
    ]


def is_waiting(connection: Any, pid: int) -> bool:
    """True when `pid` waits for any lock (relation, transaction id, virtual xid…)."""
    return bool(_rows(connection, _WAITING, (pid,))[0][0])


def lock_timeout_ms(connection: Any) -> int | None:
    # pg_settings reports lock_timeout in milliseconds whatever unit it was set in.
    value = int(_rows(connection, "SELECT setting FROM pg_settings WHERE name = 'lock_timeout'")[0][0])
    return value or None
