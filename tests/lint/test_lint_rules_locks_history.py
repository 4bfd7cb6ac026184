"""Subtle logic of the lock, data-change, history, MySQL and style rules, beyond the YAML examples:
env.py reading, cache invalidation, --diff and unreleased tables, partial history runs, version
gates, the in-place VARCHAR table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lint_helpers import codes, lint_snippet, write_revision

from pytest_releasesafe.checks.mysql_ddl import server
from pytest_releasesafe.checks.rs901_mysql_column_type_change import in_place
from pytest_releasesafe.config import Config
from pytest_releasesafe.engine import lint


def run_lint(paths: list[Path], root: Path, **settings: object) -> list:
    config = Config(**{"cache": False, "root": root, **settings})  # type: ignore[arg-type]
    return lint([str(p) for p in paths], config).findings


# --- RS602: lock_timeout from env.py ---------------------------------------------------------------

ADD_COLUMN = 'op.add_column("users", sa.Column("nickname", sa.Text(), nullable=True))'


@pytest.mark.parametrize(
    ("env_py", "expected"),
    [
        ('engine = create_engine(url, connect_args={"options": "-c lock_timeout=5s"})\n', 0),
        ("connection.execute(text(\"SET lock_timeout = '3s'\"))\n", 0),
        ('settings = {"lock_timeout": "4s"}\n', 0),
        ("# lock_timeout is set by the DBA, honest\nrun_migrations_online()\n", 1),  # a comment sets nothing
        ('engine = create_engine(url, connect_args={"options": "-c lock_timeout=0"})\n', 1),  # switched off
        ("run_migrations_online()\n", 1),
    ],
)
def test_env_py_lock_timeout_is_read_statically(tmp_path: Path, env_py: str, expected: int) -> None:
    (tmp_path / "env.py").write_text(
        env_py + "raise SystemExit('env.py must never be imported by the linter')\n"
    )
    path = write_revision(tmp_path / "versions", "a1", None, ADD_COLUMN)
    findings = run_lint([path], tmp_path, select=("RS602",))
    assert codes(findings) == ["RS602"] * expected


def test_alembic_ini_url_option_counts(tmp_path: Path) -> None:
    project = tmp_path / "migrations"
    (project / "versions").mkdir(parents=True)
    (project / "env.py").write_text("run_migrations_online()\n")
    (tmp_path / "alembic.ini").write_text(
        "[alembic]\nsqlalchemy.url = postgresql://db/app?options=-c%20lock_timeout%3D5s\n"
    )
    path = write_revision(project / "versions", "a1", None, ADD_COLUMN)
    assert run_lint([path], tmp_path, select=("RS602",)) == []


def test_rule_options_always_and_off(tmp_path: Path) -> None:
    (tmp_path / "env.py").write_text('OPTIONS = "-c lock_timeout=5s"\n')
    path = write_revision(tmp_path / "versions", "a1", None, ADD_COLUMN)
    always = run_lint([path], tmp_path, select=("RS602",), rule_options={"RS602": {"alembic": "always"}})
    assert codes(always) == ["RS602"]
    sql = tmp_path / "m.sql"
    sql.write_text("ALTER TABLE users ADD COLUMN nickname text;\n")
    assert run_lint([sql], tmp_path, select=("RS602",), rule_options={"RS602": {"sql": False}}) == []
    assert codes(run_lint([sql], tmp_path, select=("RS602",))) == ["RS602"]


def test_editing_env_py_invalidates_cached_findings(tmp_path: Path) -> None:
    env = tmp_path / "env.py"
    env.write_text("run_migrations_online()\n")
    path = write_revision(tmp_path / "versions", "a1", None, ADD_COLUMN)
    config = Config(cache=True, root=tmp_path, select=("RS602",))
    assert codes(lint([str(path)], config).findings) == ["RS602"]
    env.write_text('OPTIONS = "-c lock_timeout=5s"\n')
    os.utime(env, ns=(env.stat().st_atime_ns, env.stat().st_mtime_ns + 10_000_000))
    result = lint([str(path)], config)
    assert result.files_cached == 0 and result.findings == []


def test_set_local_lock_timeout_ends_with_its_transaction(tmp_path: Path) -> None:
    sql = """
        BEGIN;
        SET LOCAL lock_timeout = '5s';
        ALTER TABLE users ADD COLUMN a text;
        COMMIT;
        ALTER TABLE users ADD COLUMN b text;
    """
    findings = lint_snippet(tmp_path, sql, "sql", select=("RS602",))
    assert [(f.rule, f.line) for f in findings] == [("RS602", 6)]


# --- RS603 / RS701 / RS702: transactions ---------------------------------------------------------


def test_quick_ddl_on_two_tables_is_not_slow_work(tmp_path: Path) -> None:
    code = """
    def upgrade():
        op.add_column("orders", sa.Column("paid", sa.Boolean(), nullable=True))
        op.add_column("users", sa.Column("vip", sa.Boolean(), nullable=True))
        op.drop_constraint("orders_old_check", "orders")
    """
    assert lint_snippet(tmp_path, code, "alembic", select=("RS603",)) == []


def test_backfill_after_ddl_is_one_finding_each_rule_never_both(tmp_path: Path) -> None:
    code = """
    def upgrade():
        op.add_column("users", sa.Column("locale", sa.Text(), nullable=True))
        op.execute("UPDATE users SET locale = 'en'")
        op.execute("DELETE FROM sessions")
    """
    findings = lint_snippet(tmp_path, code, "alembic", select=("RS603", "RS701", "RS702"))
    assert sorted(codes(findings)) == ["RS603", "RS702", "RS702"]


def test_mysql_ddl_commits_so_no_shared_transaction(tmp_path: Path) -> None:
    sql = """
        ALTER TABLE users ADD COLUMN locale varchar(5);
        UPDATE users SET locale = 'en';
    """
    findings = lint_snippet(
        tmp_path, sql, "sql", dialect="mysql", target_version=84, select=("RS701", "RS702", "RS603")
    )
    assert codes(findings) == ["RS701"]


def test_data_change_with_where_is_info_not_failure(tmp_path: Path) -> None:
    findings = lint_snippet(
        tmp_path, "UPDATE users SET locale = 'en' WHERE locale IS NULL;", "sql", select=("RS701",)
    )
    assert [(f.rule, f.severity) for f in findings] == [("RS701", "info")]


def test_enum_value_committed_in_autocommit_block_may_be_used(tmp_path: Path) -> None:
    code = """
    def upgrade():
        with op.get_context().autocommit_block():
            op.execute("ALTER TYPE order_status ADD VALUE 'refunded'")
        op.alter_column("orders", "status", server_default="refunded")
    """
    assert lint_snippet(tmp_path, code, "alembic", select=("RS505", "RS506")) == []
    inside = """
    def upgrade():
        op.execute("ALTER TYPE order_status ADD VALUE 'refunded'")
        op.alter_column("orders", "status", server_default="refunded")
    """
    assert codes(lint_snippet(tmp_path, inside, "alembic", select=("RS506",))) == ["RS506"]
    assert codes(lint_snippet(tmp_path, inside, "alembic", select=("RS505", "RS506"), target_version=11)) == [
        "RS505"
    ]


def test_add_column_then_set_default_stays_two_statements(tmp_path: Path) -> None:
    sql = """
        ALTER TABLE users ADD COLUMN plan text;
        ALTER TABLE users ALTER COLUMN plan SET DEFAULT 'free';
    """
    assert lint_snippet(tmp_path, sql, "sql", select=("RS605",)) == []


def test_dialect_guarded_branch_is_not_judged_for_the_other_dialect(tmp_path: Path) -> None:
    code = """
    def upgrade():
        if op.get_bind().dialect.name == "mysql":
            op.execute("LOCK TABLES users WRITE")
            op.execute("TRUNCATE TABLE sessions")
    """
    assert lint_snippet(tmp_path, code, "alembic", select=("RS601", "RS520")) == []
    assert sorted(
        codes(
            lint_snippet(
                tmp_path, code, "alembic", dialect="mysql", target_version=84, select=("RS601", "RS520")
            )
        )
    ) == ["RS520", "RS601"]


# --- history: project-level rules ----------------------------------------------------------------


def test_linting_one_file_reads_its_siblings(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    write_revision(versions, "a1", None, "pass")
    write_revision(versions, "b2", "a1", "pass")
    newest = write_revision(versions, "c3", "b2", "pass")
    assert run_lint([newest], tmp_path, select=("RS803", "RS804", "RS805")) == []
    branch = write_revision(versions, "d4", "b2", "pass")
    findings = run_lint([branch], tmp_path, select=("RS803",))
    # Only the linted file is reported; the message names the other head.
    assert [(Path(f.path).name, f.rule) for f in findings] == [
        ("d4_migration.py", "RS803")
    ] and "c3" in findings[0].message


def test_branch_labels_allow_several_heads(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    write_revision(versions, "a1", None, "pass")
    other = write_revision(versions, "z1", None, "pass")
    other.write_text(
        other.read_text().replace(
            "down_revision = None", 'down_revision = None\nbranch_labels = ("billing",)'
        )
    )
    assert run_lint([versions], tmp_path, select=("RS803",)) == []


def test_merge_revision_with_multiline_parents(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    write_revision(versions, "a1", None, "pass")
    write_revision(versions, "b1", "a1", "pass")
    write_revision(versions, "b2", "a1", "pass")
    merge = write_revision(versions, "m1", None, "pass")
    merge.write_text(
        merge.read_text().replace("down_revision = None", 'down_revision = (\n    "b1",\n    "b2",\n)')
    )
    assert run_lint([versions], tmp_path, select=("RS803", "RS805")) == []


# --- --diff: tables created by unreleased migrations ---------------------------------------------


def git(cwd: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def test_table_from_an_unreleased_migration_counts_as_new(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    write_revision(
        versions, "a1", None, 'op.create_table("users", sa.Column("id", sa.BigInteger(), primary_key=True))'
    )
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "released")
    write_revision(
        versions,
        "b2",
        "a1",
        'op.create_table("tags", sa.Column("id", sa.BigInteger(), primary_key=True), sa.Column("name", sa.Text()))',
    )
    index_tags = write_revision(
        versions,
        "c3",
        "b2",
        'op.create_index("ix_tags_name", "tags", ["name"])\nop.create_index("ix_users_id", "users", ["id"])',
    )
    settings = {"select": ("RS101", "RS602"), "rule_options": {"RS602": {"alembic": "always"}}}
    without_diff = run_lint([index_tags], tmp_path, **settings)
    assert sorted(codes(without_diff)) == ["RS101", "RS101", "RS602"]
    config = Config(cache=True, root=tmp_path, **settings)  # type: ignore[arg-type]
    old_cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with_diff = lint([str(versions)], config, diff_base="HEAD").findings
    finally:
        os.chdir(old_cwd)
    # tags is created by b2, not released yet: only the index on the released users table remains.
    assert [(Path(f.path).name, f.rule, f.line) for f in with_diff] == [
        ("c3_migration.py", "RS101", 11),
        ("c3_migration.py", "RS602", 11),
    ]
    # The same file linted without --diff from the warm cache still judges tags as an existing table.
    assert sorted(codes(lint([str(index_tags)], config).findings)) == ["RS101", "RS101", "RS602"]


# --- MySQL versions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "sql", "expected"),
    [
        (57, "ALTER TABLE t ADD COLUMN c int;", [("RS903", "warning")]),
        (80, "ALTER TABLE t ADD COLUMN c int;", []),
        (80, "ALTER TABLE t ADD COLUMN c int FIRST;", [("RS903", "warning")]),
        (84, "ALTER TABLE t ADD COLUMN c int FIRST;", []),
        (80, "ALTER TABLE t DROP COLUMN c;", [("RS903", "warning")]),
        (84, "ALTER TABLE t DROP COLUMN c;", []),
        (1003, "ALTER TABLE t ADD COLUMN c int AFTER b;", [("RS903", "warning")]),
        (1004, "ALTER TABLE t DROP COLUMN c;", []),
        (1002, "ALTER TABLE t DROP COLUMN c;", [("RS903", "warning")]),
        (84, "ALTER TABLE t DROP PRIMARY KEY;", [("RS903", "error")]),
        (84, "ALTER TABLE t ADD COLUMN g int AS (a + 1) STORED;", [("RS903", "error")]),
        (84, "ALTER TABLE t ADD COLUMN g int AS (a + 1) STORED, ALGORITHM=INPLACE;", []),
    ],
)
def test_mysql_online_ddl_by_version(
    tmp_path: Path, version: int, sql: str, expected: list[tuple[str, str]]
) -> None:
    findings = lint_snippet(tmp_path, sql, "sql", dialect="mysql", target_version=version, select=("RS903",))
    assert [(f.rule, f.severity) for f in findings] == expected


def test_mysql_versions_decode() -> None:
    assert (server(57).mariadb, server(57).major, server(57).minor) == (False, 5, 7)
    assert server(84).label == "MySQL 8.4" and server(1011).label == "MariaDB 10.11"
    assert not server(15).known  # the Postgres default is no MySQL version


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("sa.String(40)", "sa.String(60)", True),  # 160 -> 240 bytes: one length byte either way
        ("sa.String(60)", "sa.String(70)", False),  # 240 -> 280 bytes: the length prefix grows
        ("VARCHAR(100)", "VARCHAR(500)", True),  # already two length bytes
        ("sa.String(100)", "sa.String(50)", False),  # narrowing
        ("sa.Integer()", "sa.BigInteger()", False),
        ("sa.Text()", "sa.Text()", True),
        (None, "VARCHAR(10)", None),
    ],
)
def test_varchar_widening_table(old: str | None, new: str, expected: bool | None) -> None:
    assert in_place(old, new) is expected


# --- style and the CLI ---------------------------------------------------------------------------


def test_style_rules_are_opt_in(tmp_path: Path) -> None:
    sql = "CREATE TABLE accounts (id serial PRIMARY KEY, created timestamp);"
    assert lint_snippet(tmp_path, sql, "sql") == []
    assert sorted(codes(lint_snippet(tmp_path, sql, "sql", select=("RS95",)))) == ["RS951", "RS952", "RS953"]


def test_cli_reports_history_and_lock_rules_as_json(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    write_revision(
        versions, "a1", None, 'op.create_table("tags", sa.Column("id", sa.BigInteger(), primary_key=True))'
    )
    write_revision(
        versions,
        "b2",
        "a0",
        'op.execute("LOCK TABLE users")\nop.add_column("users", sa.Column("x", sa.Text()))',
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest_releasesafe", "lint", "--format", "json", "--no-cache", str(versions)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    found = {(Path(f["path"]).name, f["rule"]) for f in json.loads(done.stdout)}
    assert {
        ("b2_migration.py", "RS805"),
        ("b2_migration.py", "RS601"),
        ("b2_migration.py", "RS602"),
        ("a1_migration.py", "RS801"),
    } <= found
    assert all(f["help"] for f in json.loads(done.stdout))


def test_enum_type_dropped_through_sqlalchemy_is_not_reported(tmp_path: Path) -> None:
    code = """
    from alembic import op
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql

    revision = "a1"
    down_revision = None

    def upgrade():
        op.execute("CREATE TYPE mood AS ENUM ('happy', 'sad')")
        op.execute("CREATE EXTENSION citext")

    def downgrade():
        postgresql.ENUM(name="mood").drop(op.get_bind())
    """
    findings = lint_snippet(tmp_path, code, "alembic", select=("RS802",))
    # The extension is never dropped; the type is, by SQLAlchemy, which the linter cannot see.
    assert [f.message.split(",")[0] for f in findings] == ["upgrade() creates extension citext"]


# --- the backfill recipe in the help text runs on a real Postgres --------------------------------

PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def recipe_sql(help_text: str) -> list[str]:
    """The SQL statements of a finding's help (the linter fills in the user's own change)."""
    code = "\n".join(line[4:] for line in help_text.splitlines() if line.startswith("    "))
    code = "\n".join(line for line in code.splitlines() if not line.lstrip().startswith("--"))
    return [statement.strip() for statement in code.split(";") if statement.strip()]


def test_backfill_recipe_runs_batched_and_resumable_on_postgres(tmp_path: Path) -> None:
    psycopg = pytest.importorskip("psycopg")
    try:
        conn = psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"no Postgres at {PG_URL}: {error}")
    findings = lint_snippet(tmp_path, "UPDATE accounts SET plan = 'free';", "sql", select=("RS701",))
    create_progress, batch = recipe_sql(findings[0].help)
    schema = f"rsops_{os.urandom(5).hex()}"
    try:
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(f"SET search_path TO {schema}")
        conn.execute("CREATE TABLE accounts (id bigint PRIMARY KEY, plan text)")
        conn.execute(
            "INSERT INTO accounts SELECT g, CASE WHEN g % 10 = 0 THEN 'pro' END FROM generate_series(1, 2500) g"
        )
        conn.execute(create_progress)
        conn.execute(batch)  # the first batch, then the job "crashes" and a new connection resumes
        with psycopg.connect(PG_URL, autocommit=True) as resumed:
            resumed.execute(f"SET search_path TO {schema}")
            assert resumed.execute("SELECT last_id FROM backfill_progress").fetchone() == (1000,)
            runs = 1
            while True:
                before = resumed.execute("SELECT last_id FROM backfill_progress").fetchone()
                resumed.execute(batch)
                runs += 1
                if resumed.execute("SELECT last_id FROM backfill_progress").fetchone() == before:
                    break
        counts = dict(conn.execute("SELECT plan, count(*) FROM accounts GROUP BY plan").fetchall())
        # The user's change (every row to 'free') done in 1000-row batches, resumed after the "crash".
        assert counts == {"free": 2500} and runs == 4
    finally:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.close()


# --- the MySQL verdicts hold on the running MariaDB ---------------------------------------------

MARIADB = {"host": "127.0.0.1", "port": 3306, "user": "root", "password": ""}

# (statement on the table `t`, what the linter must say on MariaDB 10.11)
ONLINE_DDL_CASES = [
    ("ALTER TABLE t ADD COLUMN note text AFTER a", "instant"),
    ("ALTER TABLE t DROP COLUMN b", "instant"),
    ("ALTER TABLE t MODIFY name varchar(60)", "instant"),  # widening within one length byte
    ("ALTER TABLE t MODIFY name varchar(70)", "copy"),  # 280 bytes: the length prefix grows
    ("ALTER TABLE t MODIFY a bigint", "copy"),
    ("ALTER TABLE t CONVERT TO CHARACTER SET latin1", "copy"),
    ("ALTER TABLE t ADD COLUMN g int AS (a + 1) STORED", "copy"),
    ("ALTER TABLE t MODIFY a int NOT NULL", "rebuild"),
]


@pytest.mark.parametrize(("statement", "expected"), ONLINE_DDL_CASES)
def test_mysql_verdicts_match_the_running_mariadb(tmp_path: Path, statement: str, expected: str) -> None:
    pymysql = pytest.importorskip("pymysql")
    try:
        conn = pymysql.connect(**MARIADB, autocommit=True, connect_timeout=3)
    except pymysql.err.OperationalError as error:
        pytest.skip(f"no MariaDB/MySQL at 127.0.0.1:3306: {error}")
    findings = lint_snippet(
        tmp_path,
        old_type_stated(statement),
        "alembic" if "MODIFY" in statement else "sql",
        dialect="mysql",
        target_version=1011,
        select=("RS901", "RS903"),
    )
    database = f"rsops_{os.urandom(5).hex()}"
    cursor = conn.cursor()
    try:
        cursor.execute(f"CREATE DATABASE {database} CHARACTER SET utf8mb4")
        cursor.execute(f"USE {database}")
        cursor.execute("CREATE TABLE t (id bigint PRIMARY KEY, a int, b int, name varchar(40)) ENGINE=InnoDB")
        cursor.execute("INSERT INTO t VALUES (1, 1, 1, 'x'), (2, 2, 2, 'y')")
        # The server's own verdict: the weakest algorithm it accepts for the statement.
        accepted = next(
            algorithm
            for algorithm in ("INSTANT", "INPLACE", "COPY")
            if _accepts(cursor, pymysql, statement, algorithm)
        )
    finally:
        cursor.execute(f"DROP DATABASE IF EXISTS {database}")
        conn.close()
    copies = any(f.rule == "RS901" or "(COPY)" in f.message for f in findings)
    said = "copy" if copies else "rebuild" if findings else "instant"
    server = {"INSTANT": "instant", "INPLACE": "rebuild", "COPY": "copy"}[accepted]
    assert (said, server) == (expected, expected), [f.message for f in findings]


def _accepts(cursor, pymysql, statement: str, algorithm: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        cursor.execute(f"{statement}, ALGORITHM={algorithm}")
    except pymysql.err.MySQLError:
        return False
    return True


def old_type_stated(statement: str) -> str:
    """MODIFY as Alembic writes it (with existing_type), so the linter knows the old type."""
    if "MODIFY" not in statement:
        return statement + ";"
    column, new_type = statement.split("MODIFY ", 1)[1].split(" ", 1)
    old = {"name": "sa.String(40)", "a": "sa.Integer()"}[column]
    if "NOT NULL" in new_type:
        return f'def upgrade():\n    op.alter_column("t", "{column}", nullable=False, existing_type={old})\n'
    new = {"varchar(60)": "sa.String(60)", "varchar(70)": "sa.String(70)", "bigint": "sa.BigInteger()"}[
        new_type
    ]
    return f'def upgrade():\n    op.alter_column("t", "{column}", type_={new}, existing_type={old})\n'


# --- the lock levels the rules assume are the ones Postgres takes --------------------------------

LOCK_CASES = [
    "ALTER TABLE t ADD COLUMN c int",
    "ALTER TABLE t ALTER COLUMN a SET DEFAULT 1",
    "ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID",
    "ALTER TABLE t ADD CONSTRAINT t_a_fk FOREIGN KEY (a) REFERENCES r (id) NOT VALID",
    "ALTER TABLE t VALIDATE CONSTRAINT t_b_check",
    "ALTER TABLE t RENAME CONSTRAINT t_b_check TO t_b_positive",
    "CREATE INDEX t_a_idx ON t (a)",
    "DROP INDEX t_b_idx",
    "LOCK TABLE t IN SHARE MODE",
    "TRUNCATE t",
]
_PG_MODES = {
    "AccessExclusiveLock": "ACCESS EXCLUSIVE",
    "ExclusiveLock": "EXCLUSIVE",
    "ShareRowExclusiveLock": "SHARE ROW EXCLUSIVE",
    "ShareLock": "SHARE",
    "ShareUpdateExclusiveLock": "SHARE UPDATE EXCLUSIVE",
}
_STRENGTH = list(_PG_MODES)  # strongest first


@pytest.mark.parametrize("statement", LOCK_CASES)
def test_lock_levels_match_pg_locks(statement: str) -> None:
    from pytest_releasesafe.checks.locking import lock_mode
    from pytest_releasesafe.frontends.sql import Placement, SqlState, parse_sql

    psycopg = pytest.importorskip("psycopg")
    try:
        conn = psycopg.connect(PG_URL, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"no Postgres at {PG_URL}: {error}")
    schema = f"rsops_{os.urandom(5).hex()}"
    try:
        with conn.transaction():
            conn.execute(f"CREATE SCHEMA {schema}; SET LOCAL search_path TO {schema}")
            conn.execute("CREATE TABLE r (id bigint PRIMARY KEY)")
            conn.execute(
                "CREATE TABLE t (id bigint PRIMARY KEY, a bigint, b int CONSTRAINT t_b_check CHECK (b > 0))"
            )
            conn.execute("CREATE INDEX t_b_idx ON t (b)")
        with conn.transaction():
            conn.execute(f"SET LOCAL search_path TO {schema}")
            conn.execute(statement)
            rows = conn.execute(
                "SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND relation = 't'::regclass"
            ).fetchall()
    finally:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.commit()
        conn.close()
    taken = min((_STRENGTH.index(mode) for (mode,) in rows if mode in _PG_MODES), default=None)
    server_mode = _STRENGTH[taken] if taken is not None else None
    ops, _ = parse_sql(statement, Placement("m.sql"), "postgresql", SqlState(in_transaction=True))
    assumed = lock_mode(ops[0])
    # Statements the rules treat as harmless to traffic take at most SHARE UPDATE EXCLUSIVE.
    expected = _PG_MODES[server_mode] if server_mode and server_mode != "ShareUpdateExclusiveLock" else None
    assert assumed == expected, f"{statement}: Postgres took {server_mode}, the rules assume {assumed}"


@pytest.mark.parametrize(
    ("setup", "migration"),
    [
        (
            "CREATE TYPE order_status AS ENUM ('open'); CREATE TABLE orders (id bigint, status order_status)",
            "ALTER TYPE order_status ADD VALUE 'refunded'; UPDATE orders SET status = 'refunded' WHERE id = 1",
        ),
        (
            "",
            "CREATE TYPE mood AS ENUM ('happy'); ALTER TYPE mood ADD VALUE 'sad';"
            " CREATE TABLE people (id bigint, mood mood DEFAULT 'sad')",
        ),
        (
            "",
            "CREATE TYPE mood AS ENUM ('happy', 'sad'); CREATE TABLE people (id bigint, mood mood DEFAULT 'sad')",
        ),
    ],
)
def test_enum_value_rule_agrees_with_postgres(tmp_path: Path, setup: str, migration: str) -> None:
    psycopg = pytest.importorskip("psycopg")
    try:
        conn = psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"no Postgres at {PG_URL}: {error}")
    findings = lint_snippet(tmp_path, f"BEGIN;\n{migration};\nCOMMIT;\n", "sql", select=("RS506",))
    schema = f"rsops_{os.urandom(5).hex()}"
    try:
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(f"SET search_path TO {schema}")
        for statement in filter(str.strip, setup.split(";")):
            conn.execute(statement)
        try:
            with conn.transaction():
                for statement in migration.split(";"):
                    conn.execute(statement)
            failed = None
        except psycopg.Error as error:
            failed = str(error)
    finally:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.close()
    assert bool(findings) == bool(failed), (findings, failed)
    if failed:
        assert "unsafe use of new value" in failed


def test_replaced_view_restored_by_downgrade_and_optional_extension(tmp_path: Path) -> None:
    code = """
    from alembic import op

    revision = "a1"
    down_revision = None

    def upgrade():
        op.execute("CREATE OR REPLACE VIEW active_users AS SELECT id, email FROM users WHERE active")
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE FUNCTION order_total(o bigint) RETURNS bigint AS $$ SELECT 1 $$ LANGUAGE sql")

    def downgrade():
        op.execute("CREATE OR REPLACE VIEW active_users AS SELECT id FROM users WHERE active")
    """
    findings = lint_snippet(tmp_path, code, "alembic", select=("RS802",))
    assert [f.message.split(",")[0] for f in findings] == ["upgrade() creates function order_total"]


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("SET lock_timeout TO '2s';", 0),
        ("SELECT set_config('lock_timeout', '2s', false);", 0),
        ("SELECT set_config('lock_timeout', '0', false);", 1),
        ("SET statement_timeout = '5min';", 1),  # bounds the statement, not the wait in the queue
    ],
)
def test_forms_of_setting_the_lock_timeout(tmp_path: Path, setting: str, expected: int) -> None:
    findings = lint_snippet(
        tmp_path, f"{setting}\nALTER TABLE t ADD COLUMN c int;\n", "sql", select=("RS602",)
    )
    assert len(findings) == expected


def test_with_downgrade_judged_upgrade_and_downgrade_are_separate_transactions(tmp_path: Path) -> None:
    code = """
    from alembic import op
    import sqlalchemy as sa

    revision = "a1"
    down_revision = None

    def upgrade():
        op.execute("SET LOCAL lock_timeout = '5s'")
        op.add_column("users", sa.Column("locale", sa.Text(), nullable=True))

    def downgrade():
        op.execute("UPDATE users SET name = name || '' WHERE locale IS NOT NULL")
        op.drop_column("users", "locale")
    """
    rules = ("RS602", "RS603", "RS605", "RS702")
    findings = lint_snippet(tmp_path, code, "alembic", select=rules, downgrade=True)
    # Only what the downgrade does on its own: a data change before its DDL, and no timeout of its own.
    assert sorted((f.rule, f.line) for f in findings) == [("RS602", 14), ("RS702", 13)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-- +goose Up\nALTER TABLE users ADD COLUMN email text;\n\n-- +goose Down\n", [("RS801", 4)]),
        (
            "-- migrate:up\nCREATE INDEX users_email_idx ON users (email);\n-- migrate:down\nSELECT 1;\n",
            [("RS801", 3)],
        ),
        (
            "-- +migrate Up\nCREATE TABLE tags (id bigint PRIMARY KEY);\nALTER TABLE users ADD COLUMN tag_id bigint;\n"
            "-- +migrate Down\nALTER TABLE users DROP COLUMN tag_id;\n",
            [("RS802", 2)],
        ),
        ("-- +goose Up\nCREATE TABLE tags (id bigint PRIMARY KEY);\n-- +goose Down\nDROP TABLE tags;\n", []),
        (
            "-- +goose Up\nUPDATE users SET email = lower(email) WHERE id < 10;\n-- +goose Down\n",
            [],
        ),  # data only
        ("ALTER TABLE users ADD COLUMN email text;\n", []),  # a plain script has no down step
    ],
)
def test_down_steps_of_sql_migration_tools(
    tmp_path: Path, text: str, expected: list[tuple[str, int]]
) -> None:
    findings = lint_snippet(tmp_path, text, "sql", select=("RS801", "RS802"))
    assert [(f.rule, f.line) for f in findings] == expected
    for finding in findings:
        assert "()" not in finding.message, "SQL files are told about their down step, not downgrade()"


@pytest.mark.parametrize(
    ("ddl", "held", "blocked"),
    [
        ("CREATE INDEX ix_orders_user ON orders (user_id)", "a SHARE lock", "every write to orders waits (reads go on)"),
        ("ALTER TABLE orders ADD COLUMN note text", "an ACCESS EXCLUSIVE lock", "every query on orders, reads included"),
    ],
)  # fmt: skip
def test_data_change_message_names_the_lock_with_its_article_and_what_it_blocks(
    tmp_path: Path, ddl: str, held: str, blocked: str
) -> None:
    sql = f"BEGIN;\n{ddl};\nUPDATE orders SET amount = 0 WHERE amount IS NULL;\nCOMMIT;\n"
    (finding,) = lint_snippet(tmp_path, sql, "sql", select=("RS702",))
    assert finding.line == 3
    assert f"holds {held} on orders until COMMIT: {blocked}" in finding.message
