"""MySQL / MariaDB: no CREATE DATABASE ... TEMPLATE, so a clone copies the template's schema and rows.

Copied: tables (SHOW CREATE TABLE, created with foreign key checks off so their order does not
matter) with their rows, sequences, views and triggers. Not copied: stored routines and events,
which migrations rarely create; give such projects a setup callable instead of a template.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError


def quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


class MysqlOps:
    dialect = "mysql"

    def __init__(self) -> None:
        self._version: tuple[int, ...] | None = None
        self.product = "MySQL"  # "MariaDB" once the server's banner says so

    def server_version(self, admin: Engine) -> tuple[int, ...]:
        if self._version is None:
            with admin.connect() as connection:
                banner = str(connection.execute(text("SELECT VERSION()")).scalar_one())
            if "mariadb" in banner.lower():
                self.product = "MariaDB"
            match = re.match(r"(\d+)\.(\d+)", banner)
            self._version = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
        return self._version

    def database_url(self, admin_url: URL, name: str) -> URL:
        return admin_url.set(database=name)

    def create(self, admin: Engine, name: str, template: str | None) -> None:
        with admin.connect() as connection:
            if template is None:
                connection.exec_driver_sql(f"CREATE DATABASE {quote(name)} CHARACTER SET utf8mb4")
                return
            charset, collation = connection.execute(
                text(
                    "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME "
                    "FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = :name"
                ),
                {"name": template},
            ).one()
            connection.exec_driver_sql(
                f"CREATE DATABASE {quote(name)} CHARACTER SET {charset} COLLATE {collation}"
            )
            try:
                _copy_schema(connection, template, name)
            except BaseException:
                connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {quote(name)}")
                raise

    def drop(self, admin: Engine, name: str) -> None:
        with admin.connect() as connection:
            # DROP DATABASE waits for every metadata lock on its tables: end sessions still inside.
            sessions = connection.execute(
                text(
                    "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = :name AND ID <> CONNECTION_ID()"
                ),
                {"name": name},
            ).scalars()
            for session_id in list(sessions):
                try:
                    connection.exec_driver_sql(f"KILL CONNECTION {int(session_id)}")
                except DBAPIError:
                    pass  # it ended by itself meanwhile
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {quote(name)}")


def _copy_schema(connection: Connection, source: str, target: str) -> None:
    objects = connection.execute(
        text(
            "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = :name ORDER BY TABLE_NAME"
        ),
        {"name": source},
    ).all()
    connection.exec_driver_sql("SET SESSION FOREIGN_KEY_CHECKS = 0")
    connection.exec_driver_sql(f"USE {quote(target)}")
    try:
        tables = [table for table, kind in objects if kind in ("BASE TABLE", "SYSTEM VERSIONED")]
        for table in tables:
            ddl = connection.exec_driver_sql(f"SHOW CREATE TABLE {quote(source)}.{quote(table)}").one()[1]
            connection.exec_driver_sql(ddl)
        stored = _stored_columns(connection, source)
        for table in tables:
            columns = stored.get(table)
            if columns:
                column_list = ", ".join(quote(column) for column in columns)
                connection.exec_driver_sql(
                    f"INSERT INTO {quote(target)}.{quote(table)} ({column_list}) "
                    f"SELECT {column_list} FROM {quote(source)}.{quote(table)}"
                )
        for sequence in (table for table, kind in objects if kind == "SEQUENCE"):
            ddl = connection.exec_driver_sql(f"SHOW CREATE SEQUENCE {quote(source)}.{quote(sequence)}").one()[
                1
            ]
            connection.exec_driver_sql(ddl)
        _copy_views(connection, source, target, [table for table, kind in objects if kind == "VIEW"])
        _copy_triggers(connection, source)
    finally:
        connection.exec_driver_sql("SET SESSION FOREIGN_KEY_CHECKS = 1")


def _stored_columns(connection: Connection, schema: str) -> dict[str, list[str]]:
    """Per table, the columns that take inserted values (generated columns are computed and refuse them)."""
    rows = connection.execute(
        text(
            "SELECT TABLE_NAME, COLUMN_NAME, EXTRA FROM information_schema.COLUMNS "
            "WHERE TABLE_SCHEMA = :schema ORDER BY TABLE_NAME, ORDINAL_POSITION"
        ),
        {"schema": schema},
    ).all()
    columns: dict[str, list[str]] = {}
    for table, column, extra in rows:
        if "GENERATED" not in (extra or "").upper():
            columns.setdefault(table, []).append(column)
    return columns


def _copy_views(connection: Connection, source: str, target: str, views: list[str]) -> None:
    # SHOW CREATE VIEW qualifies every column with the source schema; point those at the copy.
    # Views may read other views, so create in passes until no progress is made.
    pending = {
        view: connection.exec_driver_sql(f"SHOW CREATE VIEW {quote(source)}.{quote(view)}")
        .one()[1]
        .replace(quote(source) + ".", quote(target) + ".")
        for view in views
    }
    while pending:
        failures: dict[str, Exception] = {}
        for view, ddl in pending.items():
            try:
                connection.exec_driver_sql(ddl)
            except DBAPIError as error:
                failures[view] = error
        if len(failures) == len(pending):
            raise next(iter(failures.values()))
        pending = {view: pending[view] for view in failures}


def _copy_triggers(connection: Connection, source: str) -> None:
    triggers = connection.execute(
        text(
            "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
            "WHERE TRIGGER_SCHEMA = :name ORDER BY ACTION_ORDER"
        ),
        {"name": source},
    ).scalars()
    for trigger in list(triggers):
        row = connection.exec_driver_sql(f"SHOW CREATE TRIGGER {quote(source)}.{quote(trigger)}").one()
        connection.exec_driver_sql(row[2])
