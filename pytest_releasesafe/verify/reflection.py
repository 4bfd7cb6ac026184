"""SQLAlchemy Table objects for the data check, made again only where the schema changed.

Reflecting a whole schema costs about ten catalog queries plus building every Table; a revision
usually changes one or two tables. The snapshot (one query) tells which tables changed since the
last time; only those are made again, into the same MetaData, so foreign keys keep resolving to
the tables around them. On PostgreSQL they are built from the snapshot itself (snapshot_tables)
and reflected only when it cannot say enough.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pytest_releasesafe.verify.snapshot import Snapshot, TableShape
from pytest_releasesafe.verify.snapshot_tables import build_tables


def _row_shape(table: TableShape) -> tuple[object, ...]:
    # What decides which rows a table accepts; indexes and triggers do not matter here.
    return (table.columns, table.primary_key, table.foreign_keys, table.uniques, table.checks)


def _references(table: TableShape, names: set[str]) -> bool:
    definitions = " ".join(table.foreign_keys.values())
    return any(re.search(rf"\bREFERENCES\s+\"?{re.escape(name)}\b", definitions) for name in names)


class IncrementalReflection:
    def __init__(self, ignore: frozenset[str]) -> None:
        self._ignore = ignore
        self._metadata: sa.MetaData | None = None
        self._shapes: dict[str, tuple[object, ...]] = {}

    def tables(self, connection: Connection, snapshot: Snapshot) -> list[sa.Table]:
        """The tables of `snapshot` (parents first), reflected where they changed since last time."""
        # Tables of the default schema only: those are the ones the data check fills.
        shapes = {
            name: _row_shape(table)
            for name, table in snapshot.tables.items()
            if name not in self._ignore and "." not in name
        }
        changed = {
            name for name in shapes.keys() | self._shapes.keys() if shapes.get(name) != self._shapes.get(name)
        }
        metadata = self._metadata
        if connection.dialect.name == "postgresql":
            # Built from the snapshot in hand, without a query; reflected only if that cannot be done.
            built = sa.MetaData() if metadata is None else metadata
            if build_tables(snapshot, built, shapes if metadata is None else changed, shapes):
                self._metadata, self._shapes = built, shapes
                return [table for table in built.sorted_tables if table.name in shapes]
        dependents = {
            name
            for name, table in snapshot.tables.items()
            if name not in changed and _references(table, changed)
        }
        if metadata is None or dependents:
            # A table others point at changed: their foreign keys would keep the old object.
            metadata = sa.MetaData()
            metadata.reflect(connection, only=list(shapes))
        elif changed:
            for name in changed:
                if name in metadata.tables:
                    metadata.remove(metadata.tables[name])
            present = [name for name in changed if name in shapes]
            if present and not _reflect_for_rows(connection, metadata, present):
                metadata.reflect(connection, only=present)
        self._metadata, self._shapes = metadata, shapes
        return [table for table in metadata.sorted_tables if table.name in shapes]


def _reflect_for_rows(connection: Connection, metadata: sa.MetaData, names: list[str]) -> bool:
    """Add `names` to `metadata` with only what generating, inserting and comparing rows needs:
    columns, primary key, foreign keys, checks. Four catalog queries per table where a full
    reflection runs eight. False (nothing added) when a foreign key points at a table `metadata`
    does not hold: the full reflection then fetches that table too."""
    inspector = sa.inspect(connection)
    found = {}
    for name in names:
        foreign_keys = inspector.get_foreign_keys(name)
        for key in foreign_keys:
            referred = ".".join(filter(None, (key.get("referred_schema"), key["referred_table"])))
            if referred not in metadata.tables and referred not in names:
                return False
        found[name] = (
            inspector.get_columns(name),
            inspector.get_pk_constraint(name),
            foreign_keys,
            _checks(inspector, name),
            _unique_keys(inspector, name),
        )
    for name, (columns, primary_key, foreign_keys, checks, uniques) in found.items():
        sa.Table(
            name,
            metadata,
            *(_column(column) for column in columns),
            *(
                [sa.PrimaryKeyConstraint(*primary_key["constrained_columns"])]
                if primary_key.get("constrained_columns")
                else []
            ),
            *(
                sa.ForeignKeyConstraint(
                    key["constrained_columns"],
                    [
                        ".".join(filter(None, (key.get("referred_schema"), key["referred_table"], column)))
                        for column in key["referred_columns"]
                    ],
                    name=key.get("name"),
                )
                for key in foreign_keys
            ),
            *(sa.CheckConstraint(check["sqltext"], name=check.get("name")) for check in checks),
            # Generated rows must fit unique keys (a unique boolean has room for two rows).
            *(sa.UniqueConstraint(*columns) for columns in uniques),
        )
    return True


def _unique_keys(inspector: sa.Inspector, name: str) -> list[list[str]]:
    keys = [list(unique["column_names"]) for unique in inspector.get_unique_constraints(name)]
    keys += [
        [column for column in index["column_names"] if column]
        for index in inspector.get_indexes(name)
        if index.get("unique") and all(index["column_names"])
    ]
    return [key for key in keys if key]


def _column(reflected: Any) -> sa.Column[Any]:
    # The server fills computed and GENERATED ALWAYS identity columns; rows must leave them out.
    extra: list[Any] = []
    if computed := reflected.get("computed"):
        extra.append(sa.Computed(computed["sqltext"], persisted=computed.get("persisted")))
    if identity := reflected.get("identity"):
        extra.append(sa.Identity(always=bool(identity.get("always"))))
    return sa.Column(reflected["name"], reflected["type"], *extra, nullable=reflected["nullable"])


def _checks(inspector: sa.Inspector, name: str) -> list[Any]:
    try:
        return list(inspector.get_check_constraints(name))
    except NotImplementedError:  # a dialect that cannot list them: no listed values to honour
        return []
