"""SQLAlchemy tables for the data check, built from a PostgreSQL schema snapshot instead of
reflected: the snapshot (one catalog query) is taken anyway, and reflecting a changed table costs
about eight more queries and far more client time than reading the snapshot.

The tables carry what generating, inserting and comparing rows needs, as `_reflect_for_rows` in
reflection.py reflects it: columns (types read as SQLAlchemy's reflection reads them), primary
key, foreign keys, checks and unique keys. A table with anything the readers in pg_definitions
do not know (a domain, a collation, a key into another schema) is not built: the caller reflects
it from the database as before.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

import sqlalchemy as sa

from pytest_releasesafe.verify import pg_definitions as read
from pytest_releasesafe.verify.snapshot import ColumnShape, Snapshot, TableShape

# The column options the snapshot may show (see snapshot_postgres) that are read here; any other
# (a collation) leaves the table to reflection.
_EXTRAS = {"", "identity always", "identity by default", "generated stored"}


def _enums(snapshot: Snapshot) -> dict[str, list[str]]:
    found = {}
    for name, definition in snapshot.types.items():
        labels = read.enum_labels(definition)
        if labels is not None and "." not in name:
            found[name] = labels
    return found


def _column(name: str, shape: ColumnShape, enums: dict[str, list[str]]) -> sa.Column[Any] | None:
    if shape.extra not in _EXTRAS:
        return None
    type_ = read.column_type(shape.type, enums)
    if type_ is None:
        return None
    options: list[Any] = []
    if shape.extra == "generated stored":
        options.append(sa.Computed(shape.default or "", persisted=True))
    elif shape.extra.startswith("identity "):
        options.append(sa.Identity(always=shape.extra == "identity always"))
    return sa.Column(name, type_, *options, nullable=shape.nullable)


def _table_items(shape: TableShape, enums: dict[str, list[str]], known: Collection[str]) -> list[Any] | None:
    """The columns and constraints of a table, or None if any of them cannot be read."""
    items: list[Any] = []
    for name, column_shape in shape.columns.items():
        column = _column(name, column_shape, enums)
        if column is None:
            return None
        items.append(column)
    primary_key = read.primary_key(shape.primary_key)
    if primary_key is None:
        return None
    if primary_key:
        items.append(sa.PrimaryKeyConstraint(*primary_key))
    for name, definition in shape.foreign_keys.items():
        key = read.foreign_key(definition)
        if key is None or key.referred_table not in known:
            return None
        items.append(
            sa.ForeignKeyConstraint(
                key.columns, [f"{key.referred_table}.{column}" for column in key.referred_columns], name=name
            )
        )
    for name, definition in shape.checks.items():
        condition = read.check_text(definition)
        if condition is None:
            return None
        items.append(sa.CheckConstraint(condition, name=name))
    # Generated rows must fit unique keys (a unique boolean has room for two rows).
    uniques = [read.unique_key(definition) for definition in shape.uniques.values()]
    for definition in shape.indexes.values():
        if definition.startswith("EXCLUDE "):
            continue  # an exclusion constraint: no unique key
        columns = read.unique_index_key(definition)
        if columns is not False:
            uniques.append(columns)  # type: ignore[arg-type]  # None (unreadable) is caught below
    for columns in uniques:
        if columns is None:
            return None
        if columns:
            items.append(sa.UniqueConstraint(*columns))
    return items


def _referring(metadata: sa.MetaData, names: set[str]) -> set[str]:
    """Tables of `metadata` whose foreign keys point at one of `names`, directly or through others."""
    found = set(names)
    while True:
        more = {
            table.name
            for table in metadata.tables.values()
            if table.name not in found
            and any(key.target_fullname.rpartition(".")[0] in found for key in table.foreign_keys)
        }
        if not more:
            return found
        found |= more


def build_tables(
    snapshot: Snapshot, metadata: sa.MetaData, names: Iterable[str], wanted: Collection[str]
) -> bool:
    """(Re)build tables `names` of `snapshot` into `metadata`, with the tables whose foreign keys
    point at them (their keys would keep the old objects). `wanted`: every table the caller keeps.
    False, and `metadata` untouched, when a table cannot be built from the snapshot."""
    enums = _enums(snapshot)
    rebuild = _referring(metadata, set(names))
    built = {}
    for name in sorted(rebuild):
        if name not in wanted:
            continue  # gone
        items = _table_items(snapshot.tables[name], enums, wanted)
        if items is None:
            return False
        built[name] = items
    for name in rebuild:
        if name in metadata.tables:
            metadata.remove(metadata.tables[name])
    for name, items in built.items():
        sa.Table(name, metadata, *items)
    return True
