"""The two sides being compared: what the old code maps (from its dump) and what the database now has."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pytest_releasesafe.verify.compat.column_types import TypeInfo, describe_type


@dataclass(frozen=True)
class OldColumn:
    name: str
    attribute: str | None  # "Model.attr" when an ORM class maps it
    type: TypeInfo
    nullable: bool
    primary_key: bool
    autoincrement: bool
    server_default: str | None
    client_default: bool
    generated: bool
    foreign_keys: tuple[tuple[str, str], ...]  # (table, column)


@dataclass(frozen=True)
class OldTable:
    name: str
    schema: str | None
    columns: tuple[OldColumn, ...]

    @property
    def primary_key(self) -> tuple[OldColumn, ...]:
        return tuple(column for column in self.columns if column.primary_key)

    def column(self, name: str) -> OldColumn | None:
        return next((column for column in self.columns if column.name == name), None)


def old_tables_from_dump(dump: dict[str, Any]) -> tuple[OldTable, ...]:
    """Tables in dependency order (parents first), as the old code's MetaData sorted them."""
    tables = []
    for table in dump["tables"]:
        columns = tuple(
            OldColumn(
                name=column["name"],
                attribute=column["attribute"],
                type=column["type"],
                nullable=column["nullable"],
                primary_key=column["primary_key"],
                autoincrement=column["autoincrement"],
                server_default=column["server_default"],
                client_default=column["client_default"],
                generated=column["generated"],
                foreign_keys=tuple((fk["table"], fk["column"]) for fk in column["foreign_keys"]),
            )
            for column in table["columns"]
        )
        tables.append(OldTable(name=table["name"], schema=table["schema"], columns=columns))
    return tuple(tables)


@dataclass(frozen=True)
class NewColumn:
    name: str
    type: TypeInfo
    nullable: bool
    has_server_default: bool  # a DEFAULT, a sequence/identity or a generated expression


@dataclass(frozen=True)
class NewTable:
    name: str
    columns: dict[str, NewColumn]


def reflect(
    connection: sa.Connection, tables: tuple[OldTable, ...]
) -> dict[tuple[str | None, str], NewTable]:
    """The current shape of each table the old code maps, keyed by (schema, name); absent ones left out."""
    inspector = sa.inspect(connection)
    found: dict[tuple[str | None, str], NewTable] = {}
    for schema in sorted({table.schema for table in tables}, key=lambda name: name or ""):
        existing = set(inspector.get_table_names(schema=schema))
        for table in tables:
            if table.schema != schema or table.name not in existing:
                continue
            columns = {}
            for column in inspector.get_columns(table.name, schema=schema):
                generated = bool(column.get("computed") or column.get("identity"))
                autoincrement = column.get("autoincrement") is True
                columns[column["name"]] = NewColumn(
                    name=column["name"],
                    type=describe_type(column["type"], connection.dialect),
                    nullable=bool(column["nullable"]),
                    has_server_default=column.get("default") is not None or generated or autoincrement,
                )
            found[(schema, table.name)] = NewTable(name=table.name, columns=columns)
    return found
