"""Snapshots of real databases and the messages their differences produce after a downgrade."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from verify_helpers import server_or_skip

from pytest_releasesafe.verify.diff import after_downgrade, compare
from pytest_releasesafe.verify.snapshot import take_snapshot

BASE = {
    "postgresql": [
        "CREATE TYPE mood AS ENUM ('calm', 'busy')",
        "CREATE TABLE users (id integer PRIMARY KEY, email varchar(255),"
        " name varchar(100) NOT NULL DEFAULT 'x',"
        " score integer CONSTRAINT ck_users_score CHECK (score > 0), feeling mood)",
        "CREATE INDEX ix_users_name ON users (name)",
    ],
    "mysql": [
        "CREATE TABLE users (id integer PRIMARY KEY, email varchar(255),"
        " name varchar(100) NOT NULL DEFAULT 'x',"
        " score integer, CONSTRAINT ck_users_score CHECK (score > 0), feeling ENUM('calm', 'busy'))",
        "CREATE INDEX ix_users_name ON users (name)",
    ],
    "sqlite": [
        "CREATE TABLE users (id integer PRIMARY KEY, email varchar(255),"
        " name varchar(100) NOT NULL DEFAULT 'x',"
        " score integer CONSTRAINT ck_users_score CHECK (score > 0))",
        "CREATE INDEX ix_users_name ON users (name)",
    ],
}

# (what a sloppy downgrade leaves, per dialect) -> a fragment of the message
CASES = {
    "table left": (
        {d: ["CREATE TABLE audit_log (id integer PRIMARY KEY)"] for d in BASE},
        "downgrade() of 3f2a does not drop table audit_log created by upgrade()"
        " (add op.drop_table('audit_log')",
    ),
    "column left": (
        {d: ["ALTER TABLE users ADD COLUMN nickname varchar(20)"] for d in BASE},
        "downgrade() of 3f2a does not drop column users.nickname added by upgrade()"
        " (add op.drop_column('users', 'nickname')",
    ),
    "not null left": (
        {
            "postgresql": ["ALTER TABLE users ALTER COLUMN email SET NOT NULL"],
            "mysql": ["ALTER TABLE users MODIFY email varchar(255) NOT NULL"],
        },
        "users.email stays NOT NULL after downgrade of 3f2a, was NULL"
        " (add op.alter_column('users', 'email', nullable=True)",
    ),
    "type left": (
        {
            "postgresql": ["ALTER TABLE users ALTER COLUMN email TYPE varchar(300)"],
            "mysql": ["ALTER TABLE users MODIFY email varchar(300)"],
        },
        "users.email has type",
    ),
    "default left": (
        {
            "postgresql": ["ALTER TABLE users ALTER COLUMN name SET DEFAULT 'y'"],
            "mysql": ["ALTER TABLE users ALTER COLUMN name SET DEFAULT 'y'"],
        },
        "users.name has default",
    ),
    "index not restored": (
        {
            "postgresql": ["DROP INDEX ix_users_name"],
            "mysql": ["DROP INDEX ix_users_name ON users"],
            "sqlite": ["DROP INDEX ix_users_name"],
        },
        "downgrade() of 3f2a does not restore index users.ix_users_name removed by upgrade()",
    ),
    "check not restored": (
        {
            "postgresql": ["ALTER TABLE users DROP CONSTRAINT ck_users_score"],
            "mysql": ["ALTER TABLE users DROP CONSTRAINT ck_users_score"],
        },
        "downgrade() of 3f2a does not restore check constraint users.ck_users_score",
    ),
    "view left": (
        {d: ["CREATE VIEW active_users AS SELECT id, email FROM users"] for d in BASE},
        "downgrade() of 3f2a does not drop view active_users created by upgrade()",
    ),
    "enum value left": (
        {"postgresql": ["ALTER TYPE mood ADD VALUE 'sleepy'"]},
        "type mood differs after downgrade of 3f2a:"
        " enum ('calm', 'busy', 'sleepy'), was enum ('calm', 'busy')",
    ),
    "sequence left": (
        {"postgresql": ["CREATE SEQUENCE invoice_numbers"]},
        "downgrade() of 3f2a does not drop sequence invoice_numbers created by upgrade()",
    ),
}


@contextmanager
def fresh_engine(dialect: str, servers: dict[str, object]) -> Iterator[object]:
    from pytest_releasesafe.db import get_server

    server = get_server("sqlite") if dialect == "sqlite" else server_or_skip(servers, dialect)
    database = server.create_database(prefix="releasesafe_verify")  # type: ignore[attr-defined]
    try:
        yield database.engine()
    finally:
        database.drop()
        if dialect == "sqlite":
            server.stop()  # type: ignore[attr-defined]


def run(connection: object, statements: list[str]) -> None:
    from sqlalchemy import text

    for statement in statements:
        connection.execute(text(statement))  # type: ignore[attr-defined]
    connection.commit()  # type: ignore[attr-defined]


@pytest.mark.parametrize("dialect", sorted(BASE))
def test_the_same_schema_snapshots_equal(dialect: str, verify_servers: dict[str, object]) -> None:
    with fresh_engine(dialect, verify_servers) as engine, engine.connect() as connection:  # type: ignore[attr-defined]
        run(connection, BASE[dialect])
        first = take_snapshot(connection)
        assert "users" in first.tables
        assert set(first.tables["users"].columns) >= {"id", "email", "name", "score"}
        assert compare(first, take_snapshot(connection)) == []


@pytest.mark.parametrize(
    ("case", "dialect"),
    [(case, dialect) for case, (statements, _) in sorted(CASES.items()) for dialect in statements],
)
def test_what_a_downgrade_leaves_is_named(case: str, dialect: str, verify_servers: dict[str, object]) -> None:
    statements, expected = CASES[case]
    with fresh_engine(dialect, verify_servers) as engine, engine.connect() as connection:  # type: ignore[attr-defined]
        run(connection, BASE[dialect])
        before = take_snapshot(connection)
        run(connection, statements[dialect])
        messages = [after_downgrade(d, "3f2a") for d in compare(before, take_snapshot(connection))]
    assert any(expected in message for message in messages), messages
