"""Seeding real tables of many shapes: every table gets its rows, or a warning says why not."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url

from pytest_releasesafe.verify.trace.seed import Seeder

SCHEMA = """
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE TABLE parents (id bigserial PRIMARY KEY, code varchar(8) NOT NULL UNIQUE);
CREATE TABLE children (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id bigint NOT NULL REFERENCES parents (id),
    tiny smallint NOT NULL,
    price numeric(12, 2) NOT NULL,
    flag boolean NOT NULL,
    feeling mood NOT NULL,
    amount positive NOT NULL,
    uid uuid NOT NULL UNIQUE,
    born date NOT NULL,
    seen timestamptz NOT NULL,
    doc jsonb NOT NULL,
    raw bytea NOT NULL,
    addr inet NOT NULL,
    tags text[] NOT NULL,
    created timestamptz NOT NULL DEFAULT now(),
    doubled integer GENERATED ALWAYS AS (tiny * 2) STORED,
    note text
);
CREATE TABLE impossible (id integer PRIMARY KEY, n integer NOT NULL CHECK (n < 0));
CREATE SCHEMA other;
CREATE TABLE other.things (id serial PRIMARY KEY, name text NOT NULL);
"""


@pytest.fixture
def connection(database_url: str) -> Iterator[psycopg.Connection]:
    libpq = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq) as connection:
        connection.execute(SCHEMA)
        connection.commit()
        yield connection


def count(connection: psycopg.Connection, table: str) -> int:
    return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]


def test_every_seedable_table_gets_its_rows_parents_first(connection: psycopg.Connection) -> None:
    seeder = Seeder(rows=200)
    seeded = seeder.seed_new_tables(connection)
    connection.commit()
    assert seeded.index("parents") < seeded.index("children")
    assert count(connection, "parents") == 200
    assert count(connection, "children") == 200
    assert count(connection, "other.things") == 200
    # Foreign keys point at real parents; enum, domain and unique columns hold valid values.
    orphans = "SELECT count(*) FROM children c LEFT JOIN parents p ON p.id = c.parent_id WHERE p.id IS NULL"
    assert connection.execute(orphans).fetchone() == (0,)
    assert connection.execute("SELECT count(DISTINCT feeling) FROM children").fetchone() == (3,)
    # Nullable columns are filled too, so a later SET NOT NULL finds no NULLs.
    assert connection.execute("SELECT count(*) FROM children WHERE note IS NULL").fetchone() == (0,)


def test_a_table_that_cannot_be_seeded_is_reported_the_rest_seeded(
    connection: psycopg.Connection,
) -> None:
    seeder = Seeder(rows=10)
    seeder.seed_new_tables(connection)
    connection.commit()
    assert count(connection, "impossible") == 0
    assert len(seeder.warnings) == 1
    assert seeder.warnings[0].startswith("table impossible was not seeded: ")
    assert "impossible_n_check" in seeder.warnings[0]
    assert count(connection, "parents") == 10


def test_tables_are_seeded_once_and_skipped_tables_never(connection: psycopg.Connection) -> None:
    seeder = Seeder(rows=7, skip_tables={"parents"})
    first = seeder.seed_new_tables(connection)
    connection.execute("CREATE TABLE later (id integer PRIMARY KEY)")
    second = seeder.seed_new_tables(connection)
    connection.commit()
    assert "parents" not in first
    assert second == ["later"]
    assert count(connection, "parents") == 0
    assert count(connection, "later") == 7
