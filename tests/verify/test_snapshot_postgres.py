"""The PostgreSQL snapshot's catalog query, prepared inside transactions: the same snapshot as
the plain query, whatever the session did to its prepared statements."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from verify_helpers import run_sql

from pytest_releasesafe.verify.snapshot import take_snapshot
from pytest_releasesafe.verify.snapshot_postgres import PREPARED_NAME

SCHEMA = [
    "CREATE TYPE mood AS ENUM ('calm', 'busy')",
    "CREATE TABLE users (id serial PRIMARY KEY, email varchar(80) UNIQUE, feeling mood,"
    " score integer CHECK (score > 0))",
    "CREATE INDEX ix_users_score ON users (score)",
    "CREATE VIEW busy_users AS SELECT id FROM users WHERE feeling = 'busy'",
    "CREATE FUNCTION twice(integer) RETURNS integer LANGUAGE sql AS 'SELECT $1 * 2'",
    "CREATE SEQUENCE tickets",
]


@pytest.fixture
def schema_engine(pg_engine: sa.Engine) -> sa.Engine:
    run_sql(pg_engine, SCHEMA)
    return pg_engine


def _prepared(connection: sa.Connection) -> bool:
    query = sa.text("SELECT count(*) FROM pg_prepared_statements WHERE name = :name")
    return bool(connection.execute(query, {"name": PREPARED_NAME}).scalar_one())


def test_the_prepared_query_gives_the_plain_snapshot(schema_engine: sa.Engine) -> None:
    with schema_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as plain:
        expected = take_snapshot(plain)
        assert not _prepared(plain)  # outside a transaction: the plain query
    with schema_engine.connect() as connection:
        assert take_snapshot(connection) == expected
        assert _prepared(connection)
        assert take_snapshot(connection) == expected  # executed again, not prepared again
        connection.exec_driver_sql("ALTER TABLE users ADD COLUMN note text")
        changed = take_snapshot(connection)
        assert "note" in changed.tables["users"].columns  # the prepared plan sees new objects
        connection.rollback()
        assert take_snapshot(connection) == expected


def test_a_dropped_prepared_statement_is_prepared_again(schema_engine: sa.Engine) -> None:
    with schema_engine.connect() as connection:
        expected = take_snapshot(connection)
        connection.exec_driver_sql("DEALLOCATE ALL")  # as a migration or a driver might
        assert not _prepared(connection)
        assert take_snapshot(connection) == expected
        connection.rollback()  # PREPARE is not undone by a rollback
        assert _prepared(connection)
        assert take_snapshot(connection) == expected


def test_the_checks_connections_do_not_let_psycopg_drop_prepared_statements(postgres: Any) -> None:
    """psycopg's own preparing ends in DEALLOCATE ALL after any ALTER or DROP; the migrator's
    connections have it off."""
    from pytest_releasesafe.verify.migrator import _keep_prepared_statements

    database = postgres.create_database()
    engine = database.engine()
    try:
        with engine.connect() as connection:
            _keep_prepared_statements(connection)
            take_snapshot(connection)
            insert = sa.text("SELECT :n")
            for n in range(10):  # psycopg would prepare this from the fifth time on
                connection.execute(insert, {"n": n})
            connection.exec_driver_sql("CREATE TABLE t (id integer)")
            connection.exec_driver_sql("DROP TABLE t")
            assert _prepared(connection)
    finally:
        engine.dispose()
        database.drop()


def test_extension_objects_stay_out_and_the_users_own_are_in(schema_engine: sa.Engine) -> None:
    """The catalog query reads user objects by OID range: extension types and functions (from
    the extension, also OIDs past the built-in ones) stay out, everything made by SQL is in."""
    with schema_engine.begin() as connection:
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS citext")
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS hstore")
        connection.exec_driver_sql("CREATE TABLE tagged (id integer PRIMARY KEY, name citext, tags hstore)")
    with schema_engine.connect() as connection:
        snapshot = take_snapshot(connection)
    assert set(snapshot.tables) == {"users", "tagged"}
    assert snapshot.tables["tagged"].columns["tags"].type == "hstore"
    assert set(snapshot.types) == {"mood"}
    assert set(snapshot.routines) == {"twice(integer)"}
    assert set(snapshot.views) == {"busy_users"}
    assert set(snapshot.sequences) == {"tickets"}
