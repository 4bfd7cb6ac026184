"""`releasesafe stats` on the real Postgres and MariaDB, then `releasesafe lint` graded by table size."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pymysql
import pytest

from pytest_releasesafe.db import Database, DatabaseUnavailable, Server, get_server

BIN = Path(sys.executable).parent
POSTGRES_URL = os.environ.get(
    "RELEASESAFE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
MYSQL = {"host": "127.0.0.1", "port": 3306, "user": "root", "password": "", "database": "test"}
THRESHOLDS = "[tool.releasesafe.size]\nsmall-rows = 1000\nlarge-rows = 100000\n"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "releasesafe"), *args], cwd=cwd, capture_output=True, text=True)


def graded(cwd: Path, migration: str, *extra: str) -> dict[tuple[int, str], dict]:
    (cwd / "m.sql").write_text(migration)
    done = run("lint", "m.sql", "--format", "json", *extra, cwd=cwd)
    assert done.returncode in (0, 1), done.stderr
    return {(f["line"], f["rule"]): f for f in json.loads(done.stdout)}


@pytest.fixture(scope="module")
def postgres() -> Iterator[Server]:
    try:
        server = get_server(POSTGRES_URL)
    except DatabaseUnavailable as error:
        pytest.skip(f"no PostgreSQL: {error.reason}")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def sized_database(postgres: Server) -> Iterator[Database]:
    database = postgres.create_database()
    with psycopg.connect(database.url.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute("CREATE TABLE tiny (id int, email text)")
        connection.execute("INSERT INTO tiny SELECT g, 'u' || g FROM generate_series(1, 300) g")
        connection.execute("CREATE TABLE big (id int, email text)")
        connection.execute("INSERT INTO big SELECT g, 'u' || g FROM generate_series(1, 200000) g")
        connection.execute("CREATE TABLE empty (id int)")
        connection.execute("ANALYZE")
        # A role that may connect and nothing else: catalog statistics need no table privileges.
        connection.execute("DROP ROLE IF EXISTS releasesafe_stats_reader")
        connection.execute("CREATE ROLE releasesafe_stats_reader LOGIN")
    yield database
    database.drop()
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute("DROP ROLE IF EXISTS releasesafe_stats_reader")


@pytest.mark.postgres
def test_stats_reads_row_estimates_with_a_role_that_cannot_read_rows(
    sized_database: Database, tmp_path: Path
) -> None:
    url = sized_database.url.replace("postgres@", "releasesafe_stats_reader@", 1)
    with (
        psycopg.connect(url.replace("+psycopg", "")) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        connection.execute("SELECT count(*) FROM big")  # proves the role cannot read a row
    done = run("stats", "--url", url, "-o", "stats.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    tables = json.loads((tmp_path / "stats.json").read_text())["tables"]
    assert tables["public.tiny"]["rows"] == 300
    assert tables["public.big"]["rows"] == 200000
    assert tables["public.big"]["table_bytes"] > tables["public.tiny"]["table_bytes"] > 0
    assert tables["public.empty"]["rows"] == 0


@pytest.mark.postgres
def test_lint_grades_the_same_lock_by_the_size_of_its_table(sized_database: Database, tmp_path: Path) -> None:
    assert run("stats", "--url", sized_database.url, cwd=tmp_path).returncode == 0
    (tmp_path / "pyproject.toml").write_text("[tool.releasesafe]\n" + THRESHOLDS)
    findings = graded(
        tmp_path,
        "CREATE INDEX ix_tiny ON tiny (email);\n"
        "CREATE INDEX ix_big ON big (email);\n"
        "ALTER TABLE big RENAME COLUMN email TO mail;\n"
        "ALTER TABLE empty ADD COLUMN code text NOT NULL;\n"
        "CREATE INDEX ix_unknown ON not_in_stats (x);\n",
    )
    assert findings[(1, "RS101")]["severity"] == "info"
    assert "tiny holds about 300 rows" in findings[(1, "RS101")]["message"]
    assert findings[(2, "RS101")]["severity"] == "error"
    assert "big holds about 200 k rows" in findings[(2, "RS101")]["message"]
    assert "expect " in findings[(2, "RS101")]["message"]
    assert findings[(3, "RS501")]["severity"] == "error"  # breaking old code does not shrink with the table
    assert "holds about" not in findings[(3, "RS501")]["message"]
    assert findings[(4, "RS301")]["severity"] == "info"
    assert "empty is empty in production" in findings[(4, "RS301")]["message"]
    assert findings[(5, "RS101")]["severity"] == "error"  # unknown size is never guessed small


@pytest.mark.postgres
def test_a_new_statistics_file_regrades_a_warm_cached_run(sized_database: Database, tmp_path: Path) -> None:
    assert run("stats", "--url", sized_database.url, cwd=tmp_path).returncode == 0
    (tmp_path / "pyproject.toml").write_text("[tool.releasesafe]\n" + THRESHOLDS)
    migration = "CREATE INDEX ix_big ON big (email);\n"
    assert graded(tmp_path, migration)[(1, "RS101")]["severity"] == "error"
    stats = tmp_path / "releasesafe-stats.json"
    stats.write_text(stats.read_text().replace('"rows": 200000', '"rows": 20'))
    assert graded(tmp_path, migration)[(1, "RS101")]["severity"] == "info"


def test_threshold_typos_and_a_missing_file_are_errors(tmp_path: Path) -> None:
    (tmp_path / "m.sql").write_text("SELECT 1;\n")
    (tmp_path / "pyproject.toml").write_text("[tool.releasesafe.size]\nsmall-row = 10\n")
    done = run("lint", "m.sql", cwd=tmp_path)
    assert done.returncode == 2 and "unknown setting [tool.releasesafe.size] small-row" in done.stderr
    (tmp_path / "pyproject.toml").write_text("[tool.releasesafe.size]\nsmall-rows = 10\nlarge-rows = 5\n")
    done = run("lint", "m.sql", cwd=tmp_path)
    assert done.returncode == 2 and "small-rows (10) is above large-rows (5)" in done.stderr
    (tmp_path / "pyproject.toml").write_text('[tool.releasesafe]\nstats = "prod-stats.json"\n')
    done = run("lint", "m.sql", cwd=tmp_path)
    assert done.returncode == 2 and "prod-stats.json: cannot read the statistics file" in done.stderr


def test_a_password_in_the_url_never_reaches_the_error(tmp_path: Path) -> None:
    done = run("stats", "--url", "postgresql://app:s3cr3t-pw@127.0.0.1:1/prod", cwd=tmp_path)
    assert done.returncode == 2
    assert "s3cr3t-pw" not in done.stderr + done.stdout
    assert "postgresql://app:***@127.0.0.1:1/prod" in done.stderr


@pytest.mark.mysql
def test_mariadb_statistics_grade_a_copying_alter(tmp_path: Path) -> None:
    try:
        connection = pymysql.connect(**MYSQL, autocommit=True)
    except pymysql.err.OperationalError as error:
        pytest.skip(f"no MariaDB: {error}")
    table = f"rs_sized_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {table} (id int PRIMARY KEY, email varchar(50))")
        cursor.execute(f"INSERT INTO {table} SELECT seq, concat('u', seq) FROM seq_1_to_200000")
        cursor.execute(f"ANALYZE TABLE {table}")
    try:
        done = run("stats", "--url", "mysql://root@127.0.0.1:3306/test", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        rows = json.loads((tmp_path / "releasesafe-stats.json").read_text())["tables"][f"test.{table}"][
            "rows"
        ]
        assert 100000 < rows < 300000  # InnoDB's estimate
        (tmp_path / "pyproject.toml").write_text(
            '[tool.releasesafe]\ndialect = "mysql"\ntarget-version = "10.11"\n' + THRESHOLDS
        )
        findings = graded(tmp_path, f"ALTER TABLE {table} MODIFY email varchar(20);\n")
        assert findings[(1, "RS901")]["severity"] == "error"
        assert f"{table} holds about" in findings[(1, "RS901")]["message"]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {table}")
        connection.close()
