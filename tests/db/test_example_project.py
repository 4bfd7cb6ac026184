"""The example project (alembic.ini, migrations, tests using the fixtures) run by pytest itself."""

import os
import pwd
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
from pathlib import Path

import pytest

from .conftest import EXAMPLE, MYSQL_URL, POSTGRES_URL, REPO

RUN = ("-p", "no:cacheprovider")
OWNER_CHECK = textwrap.dedent(
    """
    import os
    from pathlib import Path

    def test_server_runs_unprivileged(releasesafe_server):
        status = Path(f"/proc/{releasesafe_server.pid}/status").read_text()
        uid = int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])
        assert uid != 0
        assert uid == (os.getuid() if os.getuid() != 0 else int(os.environ["EXPECTED_SERVER_UID"]))
    """
)


def _outcomes_or_skip(result: pytest.RunResult, **expected: int) -> None:
    outcomes = result.parseoutcomes()
    if outcomes.get("skipped") and not outcomes.get("passed"):
        pytest.skip("database not available: " + result.stdout.str()[-300:])
    result.assert_outcomes(**expected)


def test_own_postgres_as_current_user(db_example, monkeypatch):
    if os.geteuid() == 0:
        monkeypatch.setenv("EXPECTED_SERVER_UID", str(pwd.getpwnam("postgres").pw_uid))
    db_example.makepyfile(test_owner=OWNER_CHECK)
    _outcomes_or_skip(db_example.runpytest(*RUN, "--releasesafe-database=postgresql"), passed=6)


def test_postgres_by_url(db_example, postgres_by_url):
    _outcomes_or_skip(db_example.runpytest(*RUN, f"--releasesafe-database={POSTGRES_URL}"), passed=5)


def test_mariadb_by_url(db_example, mysql_by_url):
    _outcomes_or_skip(db_example.runpytest(*RUN, f"--releasesafe-database={MYSQL_URL}"), passed=5)


def test_own_mariadb(db_example):
    _outcomes_or_skip(db_example.runpytest(*RUN, "--releasesafe-database=mariadb"), passed=5)


def test_xdist_two_workers(db_example):
    db_example.makepyfile(
        test_many=textwrap.dedent(
            """
            import pytest
            from sqlalchemy import text

            @pytest.mark.parametrize("n", range(4))
            def test_isolated(migrated_database, n):
                with migrated_database.engine().begin() as connection:
                    connection.execute(text("INSERT INTO customers (email) VALUES ('same@example.com')"))
            """
        )
    )
    result = db_example.runpytest_subprocess(*RUN, "-n", "2", "--releasesafe-database=postgresql")
    _outcomes_or_skip(result, passed=9)


def test_setting_precedence_cli_over_env_over_ini(db_example, monkeypatch):
    db_example.makefile(".ini", pytest="[pytest]\npythonpath = .\nreleasesafe_database = mysql:1\n")
    db_example.makepyfile(
        test_which="def test_which(releasesafe_server):\n    print('DIALECT', releasesafe_server.dialect)\n"
    )
    monkeypatch.setenv("RELEASESAFE_DATABASE", "sqlite")
    from_env = db_example.runpytest(*RUN, "-s", "test_which.py")
    from_env.stdout.fnmatch_lines(["releasesafe database: sqlite (RELEASESAFE_DATABASE)", "*DIALECT sqlite*"])
    monkeypatch.delenv("RELEASESAFE_DATABASE")
    from_ini = db_example.runpytest(*RUN, "-rs", "test_which.py")
    from_ini.stdout.fnmatch_lines(
        [
            "releasesafe database: mysql:1 (ini releasesafe_database)",
            "*no database server for 'mysql:1'*not version (1,)*",
        ]
    )
    monkeypatch.setenv("RELEASESAFE_DATABASE", "mysql:1")
    from_cli = db_example.runpytest(*RUN, "-s", "--releasesafe-database=sqlite", "test_which.py")
    from_cli.stdout.fnmatch_lines(
        ["releasesafe database: sqlite (--releasesafe-database)", "*DIALECT sqlite*"]
    )


def test_bad_setting_is_a_usage_error_naming_it(db_example):
    result = db_example.runpytest(*RUN, "--releasesafe-database=postgresql://u:pw@h:port/db")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*releasesafe_database: bad database URL 'postgresql://u:***@h:port/db'*"])


def test_bad_url_under_xdist_is_the_same_usage_error_before_any_test(db_example):
    # The controller checks a URL only once its workers are starting (SQLAlchemy parses it).
    result = db_example.runpytest_subprocess(
        *RUN, "-n", "2", "--releasesafe-database=postgresql://u:pw@h:port/db"
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: releasesafe_database: bad database URL 'postgresql://u:***@h:port/db'*"]
    )
    assert "Traceback" not in result.stderr.str() + result.stdout.str()
    assert "passed" not in result.stdout.str()


def test_unreachable_server_skips_with_the_reason(db_example):
    result = db_example.runpytest(
        *RUN, "-rs", "--releasesafe-database=postgresql://postgres@127.0.0.1:1/postgres"
    )
    result.assert_outcomes(skipped=5)
    result.stdout.fnmatch_lines(["*cannot connect to postgresql+psycopg://postgres@127.0.0.1:1/postgres*"])


def test_missing_alembic_config_is_an_error_naming_the_file(db_example):
    (db_example.path / "alembic.ini").unlink()
    result = db_example.runpytest(*RUN, "--releasesafe-database=sqlite", "tests/test_shop.py")
    result.assert_outcomes(passed=1, errors=3)
    result.stdout.fnmatch_lines([f"*{db_example.path / 'alembic.ini'}: Alembic config not found*"])


def test_broken_migration_fails_with_alembic_error(db_example):
    revision = db_example.path / "migrations" / "versions" / "0002_orders.py"
    revision.write_text(
        revision.read_text().replace('"orders",', '"orders", sa.Column("id", sa.Integer),', 1)
    )
    result = db_example.runpytest(*RUN, "--releasesafe-database=sqlite", "tests/test_shop.py")
    result.assert_outcomes(passed=1, errors=3)
    result.stdout.fnmatch_lines(["*DuplicateColumnError*id*"])


def test_schema_from_another_release(db_example):
    """Code under test stays; the schema is built by the migrations of another release."""
    next_release = db_example.path / "next_release" / "migrations"
    shutil.copytree(db_example.path / "migrations", next_release)
    (next_release / "versions" / "0003_order_note.py").write_text(
        textwrap.dedent(
            """
            import sqlalchemy as sa
            from alembic import op

            revision = "0003"
            down_revision = "0002"

            def upgrade():
                op.add_column("orders", sa.Column("note", sa.String(50), nullable=True))

            def downgrade():
                op.drop_column("orders", "note")
            """
        )
    )
    db_example.makepyfile(
        test_new_schema=textwrap.dedent(
            """
            import sqlalchemy as sa

            def test_schema_is_from_next_release(migrated_database):
                with migrated_database.engine().connect() as connection:
                    version = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
                assert version == "0003"
                columns = {c["name"] for c in sa.inspect(migrated_database.engine()).get_columns("orders")}
                assert "note" in columns
            """
        )
    )
    args = (
        *RUN,
        "--releasesafe-database=sqlite",
        "test_new_schema.py",
        "tests/test_shop.py::test_code_writes_to_migrated_schema",
    )
    db_example.runpytest(*args, "--releasesafe-schema-from=next_release/migrations").assert_outcomes(passed=2)
    db_example.makefile(
        ".ini", pytest="[pytest]\npythonpath = .\nreleasesafe_schema_from = next_release/migrations\n"
    )
    db_example.runpytest(*args).assert_outcomes(passed=2)
    missing = db_example.runpytest(*args, "--releasesafe-schema-from=nowhere")
    missing.assert_outcomes(errors=2)
    missing.stdout.fnmatch_lines([f"*{db_example.path / 'nowhere'}: no env.py or alembic.ini here*"])


def _python_for(user: str) -> tuple[list[str], dict[str, str]] | None:
    """A Python `user` can run that sees this environment's packages (our venv may live under /root)."""
    site = sysconfig.get_paths()["purelib"]
    env = {"PYTHONPATH": os.pathsep.join([str(REPO), site])}
    for python in (sys.executable, shutil.which(f"python3.{sys.version_info.minor}"), "/usr/bin/python3"):
        if not python:
            continue
        probe = subprocess.run(
            [
                "runuser",
                "-u",
                user,
                "--",
                python,
                "-c",
                "import sys, sqlalchemy, pytest_releasesafe; print(sys.version_info[:2])",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
        )
        if probe.returncode == 0 and probe.stdout.strip() == str(tuple(sys.version_info[:2])):
            return [python], env
    return None


@pytest.mark.skipif(os.geteuid() != 0, reason="runs as root and drops to an unprivileged user")
def test_own_postgres_as_unprivileged_user():
    if shutil.which("runuser") is None:
        pytest.skip("runuser is not installed")
    python = _python_for("nobody")
    if python is None:
        pytest.skip("no Python that the user nobody can run with this environment's packages")
    command, env = python
    nobody = pwd.getpwnam("nobody")
    home = Path(tempfile.mkdtemp(prefix="rs-dbtest-"))
    try:
        project = home / "project"
        shutil.copytree(EXAMPLE, project)
        (project / "tests" / "test_owner.py").write_text(OWNER_CHECK)
        for path in (home, *home.rglob("*")):
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
        env.update(PATH=os.environ["PATH"], HOME=str(home), RELEASESAFE_CACHE_DIR=str(home / "cache"))
        result = subprocess.run(
            [
                "runuser",
                "-u",
                "nobody",
                "--",
                *command,
                "-m",
                "pytest",
                *RUN,
                "-q",
                "--releasesafe-database=postgresql",
            ],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
        assert "6 passed" in result.stdout
        assert not list((home / "cache" / "servers").glob("*.json"))
    finally:
        shutil.rmtree(home, ignore_errors=True)
