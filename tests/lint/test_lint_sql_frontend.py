"""SQL front end: statements -> operations, with sqlglot and the token fallback."""

from __future__ import annotations

import pytest

from pytest_releasesafe import model as m
from pytest_releasesafe.frontends.sql import Placement, SqlState, parse_sql


def ops(sql: str, dialect: str = "postgresql", in_transaction: bool | None = False) -> list[m.Operation]:
    operations, problems = parse_sql(
        sql, Placement("x.sql"), dialect, SqlState(in_transaction=in_transaction)
    )
    assert not problems, problems
    return operations


@pytest.mark.parametrize(
    ("sql", "kind", "fields"),
    [
        (
            "CREATE INDEX CONCURRENTLY ix ON users (email)",
            m.CREATE_INDEX,
            {"table": "users", "index": "ix", "concurrently": True, "columns": ("email",)},
        ),
        (
            "CREATE UNIQUE INDEX ix ON public.users (email)",
            m.CREATE_INDEX,
            {"schema": "public", "unique": True, "concurrently": False},
        ),
        ("DROP INDEX CONCURRENTLY IF EXISTS ix", m.DROP_INDEX, {"index": "ix", "concurrently": True}),
        (
            "ALTER TABLE users ADD COLUMN age int NOT NULL DEFAULT 0",
            m.ADD_COLUMN,
            {"column": "age", "nullable": False, "has_default": True, "default_volatile": False},
        ),
        (
            "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()",
            m.ADD_COLUMN,
            {"default_volatile": True},
        ),
        (
            "ALTER TABLE users ADD COLUMN at timestamptz DEFAULT now()",
            m.ADD_COLUMN,
            {"default_volatile": False},
        ),
        (
            "ALTER TABLE users ADD COLUMN org_id int REFERENCES orgs (id)",
            m.ADD_COLUMN,
            {"references": "orgs", "constraint_type": "foreign_key"},
        ),
        ("ALTER TABLE users DROP COLUMN age", m.DROP_COLUMN, {"table": "users", "column": "age"}),
        ("ALTER TABLE users RENAME COLUMN a TO b", m.RENAME_COLUMN, {"column": "a", "new_name": "b"}),
        ("ALTER TABLE users RENAME TO people", m.RENAME_TABLE, {"table": "users", "new_name": "people"}),
        (
            "ALTER TABLE users ALTER COLUMN age TYPE bigint",
            m.ALTER_COLUMN_TYPE,
            {"column": "age", "type": "BIGINT"},
        ),
        ("ALTER TABLE users ALTER COLUMN age SET NOT NULL", m.SET_NOT_NULL, {"column": "age"}),
        ("ALTER TABLE users ALTER COLUMN age DROP NOT NULL", m.DROP_NOT_NULL, {"column": "age"}),
        ("ALTER TABLE users ALTER COLUMN age DROP DEFAULT", m.DROP_DEFAULT, {"column": "age"}),
        (
            "ALTER TABLE users ADD CONSTRAINT fk FOREIGN KEY (org_id) REFERENCES orgs (id) NOT VALID",
            m.ADD_CONSTRAINT,
            {"constraint_type": "foreign_key", "references": "orgs", "not_valid": True},
        ),
        ("DROP TABLE users CASCADE", m.DROP_TABLE, {"table": "users", "cascade": True}),
        ("TRUNCATE users CASCADE", m.TRUNCATE, {"table": "users", "cascade": True}),
        ("UPDATE users SET a = 1", m.DATA_CHANGE, {"table": "users"}),
        ("SET lock_timeout = '2s'", m.SET_SETTING, {}),
        ("ALTER TABLE users SET UNLOGGED", m.SET_LOGGED, {}),
        ("ALTER TABLE users SET TABLESPACE fast", m.SET_TABLESPACE, {}),
    ],
)
def test_parsed_statements(sql: str, kind: str, fields: dict) -> None:
    (op,) = ops(sql)
    assert op.kind == kind
    for key, value in fields.items():
        assert getattr(op, key) == value, key


@pytest.mark.parametrize(
    ("sql", "kind", "fields"),
    [
        # sqlglot returns an opaque Command (or fails) for these; the token fallback classifies them.
        (
            "ALTER TABLE users ADD CHECK (age > 0) NOT VALID",
            m.ADD_CONSTRAINT,
            {"constraint_type": "check", "not_valid": True},
        ),
        (
            "ALTER TABLE users VALIDATE CONSTRAINT fk",
            m.VALIDATE_CONSTRAINT,
            {"constraint": "fk", "table": "users"},
        ),
        ("ALTER TYPE mood ADD VALUE 'happy'", m.ALTER_ENUM_ADD_VALUE, {"object_name": "mood"}),
        ("REINDEX INDEX CONCURRENTLY ix_users", m.REINDEX, {"concurrently": True, "index": "ix_users"}),
        ("REINDEX TABLE users", m.REINDEX, {"concurrently": False, "table": "users"}),
        (
            "ALTER TABLE users RENAME CONSTRAINT a TO b",
            m.RENAME_OBJECT,
            {"object_type": "constraint", "new_name": "b"},
        ),
        (
            "ALTER TABLE users ADD CONSTRAINT u UNIQUE USING INDEX ix",
            m.ADD_CONSTRAINT,
            {"constraint_type": "unique", "index": "ix"},
        ),
        ("LOCK TABLE users IN SHARE MODE", m.LOCK_TABLE, {"table": "users"}),
        ("VACUUM FULL users", m.VACUUM_FULL, {"table": "users"}),
        ("CLUSTER users USING ix", m.CLUSTER, {"table": "users"}),
        ("DROP EXTENSION pgcrypto", m.DROP_OBJECT, {"object_type": "extension", "object_name": "pgcrypto"}),
        ("DO $$ BEGIN PERFORM 1; END $$", m.UNRECOGNIZED, {}),
    ],
)
def test_token_fallback(sql: str, kind: str, fields: dict) -> None:
    (op,) = ops(sql)
    assert op.kind == kind
    for key, value in fields.items():
        assert getattr(op, key) == value, key


def test_mysql_statements() -> None:
    modify, change_rename, change_type, rename = ops(
        "ALTER TABLE users MODIFY COLUMN age bigint NOT NULL;"
        "ALTER TABLE users CHANGE COLUMN a b varchar(10);"
        "RENAME TABLE a TO b;",
        dialect="mysql",
    )
    assert (modify.kind, modify.column) == (m.ALTER_COLUMN_TYPE, "age")
    assert (change_rename.kind, change_rename.column, change_rename.new_name) == (m.RENAME_COLUMN, "a", "b")
    assert change_type.kind == m.ALTER_COLUMN_TYPE
    assert (rename.kind, rename.table, rename.new_name) == (m.RENAME_TABLE, "a", "b")


def test_one_statement_per_semicolon_but_not_inside_strings_or_dollar_quotes() -> None:
    operations = ops(
        "SELECT 'a; DROP TABLE users';\nDO $$ BEGIN EXECUTE 'DROP TABLE x'; END $$;\nCOMMENT ON TABLE t IS 'DROP TABLE t';"
    )
    assert [op.kind for op in operations] == [m.SELECT, m.UNRECOGNIZED, m.COMMENT]


def test_comments_never_produce_operations() -> None:
    assert ops("-- DROP TABLE users;\n/* ALTER TABLE users DROP COLUMN a; */\nSELECT 1;") == ops(
        "SELECT 1;"
    ) or [
        op.kind for op in ops("-- DROP TABLE users;\n/* ALTER TABLE users DROP COLUMN a; */\nSELECT 1;")
    ] == [m.SELECT]


def test_locations_are_statement_lines() -> None:
    operations = ops("SELECT 1;\n\n  DROP TABLE users;\nALTER TABLE a\n  DROP COLUMN b;")
    assert [(op.location.line, op.location.column) for op in operations] == [(1, 1), (3, 3), (4, 1)]
    assert operations[2].location.end_line == 5


def test_begin_commit_tracking() -> None:
    operations = ops(
        "CREATE INDEX CONCURRENTLY a ON t (x);BEGIN;CREATE INDEX CONCURRENTLY b ON t (x);COMMIT;CREATE INDEX CONCURRENTLY c ON t (x);"
    )
    indexes = [op for op in operations if op.kind == m.CREATE_INDEX]
    assert [op.in_transaction for op in indexes] == [False, True, False]


def test_tables_created_earlier_in_the_file_are_new() -> None:
    operations = ops(
        "CREATE TABLE audit (id int);CREATE INDEX ix ON audit (id);CREATE INDEX iy ON users (id);"
    )
    assert [op.table_is_new for op in operations if op.kind == m.CREATE_INDEX] == [True, False]


def test_invalid_sql_is_a_problem_at_its_line() -> None:
    operations, problems = parse_sql(
        "SELECT 1;\nSELEC oops;\nDROP TABLE t;", Placement("x.sql"), "postgresql", SqlState(False)
    )
    assert [p.location.line for p in problems] == [2]
    assert [op.kind for op in operations] == [m.SELECT, m.DROP_TABLE], (
        "the statements after a bad one are still read"
    )


def test_sql_inside_python_points_at_the_python_line() -> None:
    operations, _ = parse_sql(
        "\nUPDATE t SET a = 1;\nDROP TABLE t;",
        Placement("m.py", line=40, column=16, inside_python=True),
        "postgresql",
        SqlState(True),
    )
    assert [op.location.line for op in operations] == [41, 42]


def test_mysql_rename_index_is_a_rename_not_a_column_change() -> None:
    (op,) = ops("ALTER TABLE users RENAME INDEX ix_a TO ix_b", dialect="mysql")
    assert (op.kind, op.object_type, op.object_name, op.new_name) == (
        m.RENAME_OBJECT,
        "index",
        "ix_a",
        "ix_b",
    )
