"""A comparable picture of a database schema.

Two snapshots of the same database compare equal exactly when nothing a migration can change
differs: tables, columns (type, nullability, default), primary keys, indexes, unique, check and
foreign keys, triggers, enums and other user types, sequences, views and routines. Definitions are
kept as the server's own canonical text so that "equal" means what the server means.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.engine import Connection


@dataclass(frozen=True)
class ColumnShape:
    type: str
    nullable: bool
    default: str | None = None
    # Identity, generated expression, collation: anything else the server stores for the column.
    extra: str = ""


@dataclass(frozen=True)
class TableShape:
    columns: dict[str, ColumnShape] = field(default_factory=dict)
    primary_key: str = ""  # "<name> (<columns>)"; empty when the table has none
    # name -> canonical definition; unnamed constraints are keyed by their definition.
    indexes: dict[str, str] = field(default_factory=dict)
    uniques: dict[str, str] = field(default_factory=dict)
    foreign_keys: dict[str, str] = field(default_factory=dict)
    checks: dict[str, str] = field(default_factory=dict)
    triggers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Snapshot:
    tables: dict[str, TableShape] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)  # enums, domains, composite types
    sequences: dict[str, str] = field(default_factory=dict)
    views: dict[str, str] = field(default_factory=dict)
    routines: dict[str, str] = field(default_factory=dict)


def take_snapshot(connection: Connection, ignore_tables: frozenset[str] = frozenset()) -> Snapshot:
    """Snapshot the schema visible to `connection`, leaving out `ignore_tables` (the version table)."""
    if connection.dialect.name == "postgresql":
        from pytest_releasesafe.verify.snapshot_postgres import postgres_snapshot

        return postgres_snapshot(connection, ignore_tables)
    from pytest_releasesafe.verify.snapshot_inspector import inspector_snapshot

    return inspector_snapshot(connection, ignore_tables)
