"""Schema snapshot through SQLAlchemy's inspector (MySQL/MariaDB, SQLite and any other dialect).

The inspector covers tables, columns, keys, indexes and checks; views, triggers and routines
come from catalog queries where the dialect has them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from pytest_releasesafe.verify.snapshot import ColumnShape, Snapshot, TableShape


def _type_text(type_: Any, connection: Connection) -> str:
    try:
        return str(type_.compile(dialect=connection.dialect))
    except Exception:  # noqa: BLE001 - a type the dialect cannot render is still comparable by repr
        return repr(type_)


def _key(name: str | None, definition: str) -> str:
    # SQLite and some MySQL constraints are unnamed: their definition is their identity.
    return name or f"({definition})"


def _column_extra(column: dict[str, Any]) -> str:
    bits = []
    if column.get("identity"):
        bits.append(f"identity {sorted(column['identity'].items())}")
    if column.get("computed"):
        bits.append(f"generated {column['computed'].get('sqltext')}")
    if column.get("autoincrement") is True:
        bits.append("autoincrement")
    return " ".join(bits)


def _table_shape(inspector: Any, connection: Connection, table: str) -> TableShape:
    columns = {
        column["name"]: ColumnShape(
            type=_type_text(column["type"], connection),
            nullable=bool(column["nullable"]),
            default=None if column.get("default") is None else str(column["default"]),
            extra=_column_extra(column),
        )
        for column in inspector.get_columns(table)
    }
    pk = inspector.get_pk_constraint(table)
    primary_key = f"{pk.get('name') or ''} ({', '.join(pk['constrained_columns'])})" if pk else ""
    if pk and not pk["constrained_columns"]:
        primary_key = ""
    foreign_keys = {}
    for fk in inspector.get_foreign_keys(table):
        definition = (
            f"FOREIGN KEY ({', '.join(fk['constrained_columns'])}) REFERENCES {fk['referred_table']}"
            f"({', '.join(fk['referred_columns'])}) {sorted((fk.get('options') or {}).items())}"
        )
        foreign_keys[_key(fk.get("name"), definition)] = definition
    uniques = {}
    for unique in inspector.get_unique_constraints(table):
        definition = f"UNIQUE ({', '.join(unique['column_names'])})"
        uniques[_key(unique.get("name"), definition)] = definition
    indexes = {}
    for index in inspector.get_indexes(table):
        if index.get("duplicates_constraint"):
            continue  # MySQL reports a unique constraint's backing index twice
        expressions = index.get("expressions") or index["column_names"]
        definition = f"{'UNIQUE ' if index['unique'] else ''}INDEX ({', '.join(map(str, expressions))})"
        indexes[_key(index.get("name"), definition)] = definition
    checks = {}
    try:
        for check in inspector.get_check_constraints(table):
            checks[_key(check.get("name"), check["sqltext"])] = str(check["sqltext"])
    except NotImplementedError:
        pass  # the dialect cannot list checks; nothing to compare
    return TableShape(
        columns=columns,
        primary_key=primary_key,
        indexes=indexes,
        uniques=uniques,
        foreign_keys=foreign_keys,
        checks=checks,
        triggers=_triggers(connection, table),
    )


def _triggers(connection: Connection, table: str) -> dict[str, str]:
    dialect = connection.dialect.name
    if dialect == "sqlite":
        rows = connection.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"), {"t": table}
        )
    elif dialect in ("mysql", "mariadb"):
        rows = connection.execute(
            text(
                "SELECT trigger_name, CONCAT(action_timing, ' ', event_manipulation, ' ', action_statement) "
                "FROM information_schema.triggers "
                "WHERE event_object_schema = DATABASE() AND event_object_table = :t"
            ),
            {"t": table},
        )
    else:
        return {}
    return {name: definition for name, definition in rows}


def _routines(connection: Connection) -> dict[str, str]:
    if connection.dialect.name not in ("mysql", "mariadb"):
        return {}
    rows = connection.execute(
        text(
            "SELECT CONCAT(routine_type, ' ', routine_name), MD5(COALESCE(routine_definition, '')) "
            "FROM information_schema.routines WHERE routine_schema = DATABASE()"
        )
    )
    return {name: digest for name, digest in rows}


def _sequences(inspector: Any) -> dict[str, str]:
    try:
        return {name: "sequence" for name in inspector.get_sequence_names()}
    except NotImplementedError:
        return {}


def inspector_snapshot(connection: Connection, ignore_tables: frozenset[str] = frozenset()) -> Snapshot:
    inspector = inspect(connection)
    tables = sorted(name for name in inspector.get_table_names() if name not in ignore_tables)
    views = {}
    for name in inspector.get_view_names():
        views[name] = " ".join(str(inspector.get_view_definition(name)).split())
    return Snapshot(
        tables={name: _table_shape(inspector, connection, name) for name in tables},
        sequences=_sequences(inspector),
        views=views,
        routines=_routines(connection),
    )
