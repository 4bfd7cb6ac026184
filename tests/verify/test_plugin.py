"""The pytest side: env.py styles, the releasesafe_migrator fixture, settings, bad projects,
half-migrated MySQL state, SQLite batch mode, xdist."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from verify_helpers import copy_example, run_items

CONNECTION_ENV_PY = """
from alembic import context

from shop.models import metadata

config = context.config

# The connection is handed in by whoever runs the migrations (the documented programmatic style).
connection = config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
"""


ASYNC_ENV_PY = """
import asyncio

from alembic import context
from sqlalchemy import pool
from sqlalchemy.ext.asyncio import async_engine_from_config

from shop.models import metadata

config = context.config


def do_run_migrations(connection):
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations():
    connectable = async_engine_from_config(
        config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    async with connectable.connect() as connection:
        await connection.run_sync(do_run_migrations)
    await connectable.dispose()


asyncio.run(run_async_migrations())
"""

STOCK_ENV_PY_WITHOUT_MODELS = """
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
connectable = engine_from_config(config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.",
                                 poolclass=pool.NullPool)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
"""


def revision(directory: Path, rev: str, down: str | None, upgrade: str, downgrade: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{rev}_step.py").write_text(
        f'"""step {rev}"""\nimport sqlalchemy as sa\nfrom alembic import op\n\n'
        f"revision = {rev!r}\ndown_revision = {down!r}\nbranch_labels = None\ndepends_on = None\n\n\n"
        f"def upgrade():\n{textwrap.indent(textwrap.dedent(upgrade).strip(), '    ')}\n\n\n"
        f"def downgrade():\n{textwrap.indent(textwrap.dedent(downgrade).strip(), '    ')}\n"
    )


def small_project(pytester: pytest.Pytester, env_py: str = STOCK_ENV_PY_WITHOUT_MODELS) -> Path:
    """An alembic project with a stock env.py (no models) and no revisions yet."""
    copy_example(pytester, "clean")
    versions = pytester.path / "migrations" / "versions"
    for path in versions.glob("*.py"):
        path.unlink()
    (pytester.path / "migrations" / "env.py").write_text(env_py)
    (pytester.path / "pytest.ini").write_text("[pytest]\nreleasesafe_alembic_config = alembic.ini\n")
    return versions


def test_env_py_using_the_handed_connection_works(pytester: pytest.Pytester, postgres: object) -> None:
    copy_example(pytester, "clean")
    (pytester.path / "migrations" / "env.py").write_text(CONNECTION_ENV_PY)
    outcome = run_items(pytester, postgres)
    assert outcome.failed == {}
    assert "releasesafe::stairway[5f50_create_orders]" in outcome.passed
    assert "releasesafe::drift" in outcome.passed


def test_async_env_py_works_on_postgres(pytester: pytest.Pytester, postgres: object) -> None:
    copy_example(pytester, "broken")
    (pytester.path / "migrations" / "env.py").write_text(ASYNC_ENV_PY)
    outcome = run_items(pytester, postgres)
    assert set(outcome.failed) == {
        "releasesafe::stairway[2c20_add_audit_log]",
        "releasesafe::stairway[3d30_email_not_null]",
        "releasesafe::data[4e40_rename_name]",
        "releasesafe::drift",
    }


def test_async_env_py_works_on_sqlite(pytester: pytest.Pytester) -> None:
    versions = small_project(
        pytester, env_py=ASYNC_ENV_PY.replace("from shop.models import metadata", "metadata = None")
    )
    revision(
        versions,
        "a1",
        None,
        "op.create_table('t', sa.Column('id', sa.Integer, primary_key=True), sa.Column('x', sa.Integer))",
        "op.drop_table('t')",
    )
    revision(
        versions,
        "b2",
        "a1",
        "with op.batch_alter_table('t') as batch:\n    batch.drop_column('x')",
        "with op.batch_alter_table('t') as batch:\n    batch.add_column(sa.Column('x', sa.Integer))",
    )
    recorder = pytester.inline_run(
        "--releasesafe-database=sqlite", "-p", "no:cacheprovider", "-k", "stairway or upgrade"
    )
    recorder.assertoutcome(passed=3)


def test_migrator_fixture_for_a_data_migration_test(pytester: pytest.Pytester, server: object) -> None:
    copy_example(pytester, "clean")
    pytester.makepyfile(
        test_backfill="""
        def test_rename_keeps_names(releasesafe_migrator):
            releasesafe_migrator.upgrade("3d30")
            releasesafe_migrator.insert("users", [{"id": 1, "email": "ada@example.com", "name": "Ada"}])
            releasesafe_migrator.upgrade("4e40")
            [row] = releasesafe_migrator.rows("users")
            assert row["full_name"] == "Ada" and "name" not in row
            assert "full_name" in releasesafe_migrator.schema().tables["users"].columns
            releasesafe_migrator.downgrade("3d30")
            assert releasesafe_migrator.rows("users")[0]["name"] == "Ada"
            assert releasesafe_migrator.heads() == ("3d30",)
        """
    )
    outcome = run_items(pytester, server, "-p", "no:randomly", "test_backfill.py")
    # Naming one file runs just that file: the migration checks are not added.
    assert outcome.passed == ["test_backfill.py::test_rename_keeps_names"]
    assert outcome.failed == {}


def test_checks_setting_selects_items_and_rejects_unknown_names(
    pytester: pytest.Pytester, postgres: object
) -> None:
    copy_example(pytester, "clean")
    outcome = run_items(pytester, postgres, "--releasesafe-checks=history,drift")
    assert sorted(outcome.passed) == ["releasesafe::drift", "releasesafe::history"]
    result = pytester.runpytest("--releasesafe-checks=history,nonsense")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*releasesafe_checks: unknown check(s) nonsense*"])


def test_missing_config_file_is_one_clear_failure(pytester: pytest.Pytester, postgres: object) -> None:
    pytester.makeini("[pytest]\nreleasesafe_alembic_config = nowhere/alembic.ini\n")
    outcome = run_items(pytester, postgres)
    assert set(outcome.failed) == {"releasesafe::load"}
    assert "nowhere/alembic.ini: Alembic config file not found" in outcome.failed["releasesafe::load"]
    assert "Traceback" not in outcome.failed["releasesafe::load"]


def test_dangling_down_revision_fails_history_and_load(pytester: pytest.Pytester, postgres: object) -> None:
    versions = small_project(pytester)
    revision(
        versions,
        "a1",
        None,
        "op.create_table('t', sa.Column('id', sa.Integer, primary_key=True))",
        "op.drop_table('t')",
    )
    revision(
        versions, "b2", "zz99", "op.add_column('t', sa.Column('x', sa.Integer))", "op.drop_column('t', 'x')"
    )
    outcome = run_items(pytester, postgres)
    assert set(outcome.failed) == {"releasesafe::history", "releasesafe::load"}
    assert (
        "b2_step.py:5: revision b2 names down_revision 'zz99', which no revision file defines"
        in (outcome.failed["releasesafe::history"])
    )
    assert "cannot load the Alembic scripts" in outcome.failed["releasesafe::load"]


def test_failed_upgrade_on_mysql_reports_the_half_migrated_state(
    pytester: pytest.Pytester, verify_servers: dict[str, object]
) -> None:
    from verify_helpers import server_or_skip

    versions = small_project(pytester)
    revision(
        versions,
        "a1",
        None,
        """
        op.create_table("invoices", sa.Column("id", sa.Integer, primary_key=True))
        op.execute("ALTER TABLE no_such_table ADD COLUMN x integer")
        """,
        'op.drop_table("invoices")',
    )
    mysql = run_items(pytester, server_or_skip(verify_servers, "mysql"), "-k", "stairway")
    message = mysql.failed["releasesafe::stairway[a1_step]"]
    assert "upgrade() of a1 failed" in message
    assert "the database is left half-migrated (mysql cannot roll back DDL):" in message
    assert "table invoices was created" in message
    postgres = run_items(pytester, server_or_skip(verify_servers, "postgresql"), "-k", "stairway")
    message = postgres.failed["releasesafe::stairway[a1_step]"]
    assert f"{versions / 'a1_step.py'}:13: upgrade() of a1 failed" in message  # the op.execute line
    assert "half-migrated" not in message  # Postgres rolled the DDL back


def test_sqlite_batch_mode_history(pytester: pytest.Pytester) -> None:
    versions = small_project(pytester)
    revision(
        versions,
        "a1",
        None,
        "op.create_table('users', sa.Column('id', sa.Integer, primary_key=True),"
        " sa.Column('email', sa.String(50)))",
        "op.drop_table('users')",
    )
    revision(
        versions,
        "b2",
        "a1",
        """
        with op.batch_alter_table("users") as batch:
            batch.alter_column("email", existing_type=sa.String(50), nullable=False)
        """,
        """
        with op.batch_alter_table("users") as batch:
            batch.create_index("ix_users_email", ["email"])
        """,
    )
    recorder = pytester.inline_run("--releasesafe-database=sqlite", "-p", "no:cacheprovider")
    failed = {r.nodeid: str(r.longrepr) for r in recorder.getreports("pytest_runtest_logreport") if r.failed}
    assert set(failed) == {"releasesafe::stairway[b2_step]"}
    skipped = {
        r.nodeid: str(r.longrepr) for r in recorder.getreports("pytest_runtest_logreport") if r.skipped
    }
    assert "no models to compare" in skipped["releasesafe::drift"]
    assert (
        "users.email stays NOT NULL after downgrade of b2, was NULL"
        in failed["releasesafe::stairway[b2_step]"]
    )
    # The downgrade made the index itself: said so, not blamed on upgrade().
    assert "downgrade() of b2 creates index users.ix_users_email" in failed["releasesafe::stairway[b2_step]"]


def test_xdist_workers_each_climb_their_own_database(pytester: pytest.Pytester, postgres: object) -> None:
    copy_example(pytester, "broken")
    result = pytester.runpytest_subprocess(
        f"--releasesafe-database={postgres.url}",
        "-p",
        "no:cacheprovider",
        "-n",
        "2",
        "-q",  # type: ignore[attr-defined]
    )
    result.assert_outcomes(passed=10, failed=4, skipped=1)
    result.stdout.fnmatch_lines(["*FAILED releasesafe::stairway?2c20_add_audit_log?*"])


def test_branched_history_with_a_merge_revision(pytester: pytest.Pytester, postgres: object) -> None:
    versions = small_project(pytester)
    table = "op.create_table('{0}', sa.Column('id', sa.Integer, primary_key=True))"
    revision(versions, "a1", None, table.format("base_t"), "op.drop_table('base_t')")
    revision(versions, "b2", "a1", table.format("left_t"), "op.drop_table('left_t')")
    revision(versions, "c3", "a1", table.format("right_t"), "pass")
    revision(
        versions,
        "d4",
        ("b2", "c3"),
        "op.execute('CREATE VIEW both_v AS SELECT 1 AS one')",
        "op.execute('DROP VIEW both_v')",
    )
    outcome = run_items(pytester, postgres, "--releasesafe-checks=history,upgrade,stairway")
    # c3's downgrade is `pass` although its upgrade creates a table: named with its file.
    assert set(outcome.failed) == {"releasesafe::stairway[c3_step]"}
    message = outcome.failed["releasesafe::stairway[c3_step]"]
    assert (
        "c3_step.py:" in message
        and "downgrade() of c3 is `pass`, but upgrade() changed the schema" in message
    )
    assert "does not drop table right_t created by upgrade()" in message
    assert {"releasesafe::history", "releasesafe::upgrade", "releasesafe::stairway[d4_step]"} <= set(
        outcome.passed
    )
    assert "releasesafe::stairway[b2_step]" in outcome.passed


def test_upgrade_that_fails_only_on_populated_tables(pytester: pytest.Pytester, postgres: object) -> None:
    versions = small_project(pytester)
    revision(
        versions,
        "a1",
        None,
        "op.create_table('accounts', sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.Text))",
        "op.drop_table('accounts')",
    )
    revision(
        versions,
        "b2",
        "a1",
        "op.add_column('accounts', sa.Column('plan', sa.String(10), nullable=False))",
        "op.drop_column('accounts', 'plan')",
    )
    outcome = run_items(pytester, postgres, "--releasesafe-checks=stairway,data")
    # Empty tables take the NOT NULL column; tables with rows do not.
    assert set(outcome.failed) == {"releasesafe::data[b2_step]"}
    message = outcome.failed["releasesafe::data[b2_step]"]
    assert "upgrade() of b2 failed: IntegrityError" in message
    assert "(with 3 generated rows in the tables)" in message
    assert "releasesafe::stairway[b2_step]" in outcome.passed


def test_rows_kept_between_revisions_are_the_freshly_generated_ones(
    pytester: pytest.Pytester, server: object
) -> None:
    """With stairway and data both selected, the generated rows stay in the tables from one
    revision to the next. b2's upgrade empties tickets.state (its downgrade restores it from a
    copy, so b2 passes): c3 must still start from freshly generated values, or its downgrade,
    which empties the column, would look harmless. d4's upgrade changes values and its downgrade
    changes them back. Both modes report exactly c3, with the same message."""
    versions = small_project(pytester)
    revision(
        versions,
        "a1",
        None,
        "op.create_table('tickets', sa.Column('id', sa.Integer, primary_key=True), sa.Column('state', sa.String(20)))",
        "op.drop_table('tickets')",
    )
    revision(
        versions,
        "b2",
        "a1",
        """
        op.execute('CREATE TABLE ticket_states AS SELECT id, state FROM tickets')
        op.execute('UPDATE tickets SET state = NULL')
        """,
        """
        op.execute('UPDATE tickets SET state = (SELECT s.state FROM ticket_states s WHERE s.id = tickets.id)')
        op.execute('DROP TABLE ticket_states')
        """,
    )
    revision(versions, "c3", "b2", "op.execute('SELECT 1')", "op.execute('UPDATE tickets SET state = NULL')")
    revision(
        versions,
        "d4",
        "c3",
        "op.execute('UPDATE tickets SET state = upper(state)')",
        "op.execute('UPDATE tickets SET state = lower(state)')",
    )
    revision(
        versions,
        "e5",
        "d4",
        "op.add_column('tickets', sa.Column('note', sa.Text))",
        "op.drop_column('tickets', 'note')",
    )
    together = run_items(pytester, server, "--releasesafe-checks=stairway,data")
    alone = run_items(pytester, server, "--releasesafe-checks=data")
    for outcome in (together, alone):
        assert set(outcome.failed) == {"releasesafe::data[c3_step]"}, outcome.failed
        message = outcome.failed["releasesafe::data[c3_step]"]
        assert "downgrade() of c3 loses data in tickets.state: 3 of 3 values changed" in message
        assert "the column comes back empty" in message
    revisions = ("a1", "b2", "c3", "d4", "e5")
    assert set(together.passed) == {f"releasesafe::stairway[{rev}_step]" for rev in revisions} | {
        f"releasesafe::data[{rev}_step]" for rev in revisions if rev != "c3"
    }
    assert together.failed == alone.failed


def test_without_a_database_the_history_still_runs_and_the_rest_skip(pytester: pytest.Pytester) -> None:
    copy_example(pytester, "clean")
    recorder = pytester.inline_run(
        "--releasesafe-database=postgresql://nobody@127.0.0.1:1/none", "-p", "no:cacheprovider"
    )
    reports = [r for r in recorder.getreports("pytest_runtest_logreport") if r.when == "call" or r.skipped]
    passed = [r.nodeid for r in reports if r.passed]
    skipped = {r.nodeid: str(r.longrepr) for r in reports if r.skipped}
    assert passed == ["releasesafe::history"]
    assert len(skipped) == 14
    assert all("no database server for" in s and "127.0.0.1:1" in s for s in skipped.values()), skipped


def test_rows_respect_listed_values_and_unseedable_tables_are_warned_about(
    pytester: pytest.Pytester, postgres: object
) -> None:
    versions = small_project(pytester)
    revision(
        versions,
        "a1",
        None,
        """
        op.create_table("tickets", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("state", sa.String(10), sa.CheckConstraint("state IN ('open', 'closed')")))
        op.create_table("codes", sa.Column("code", sa.String(8), primary_key=True),
                        sa.CheckConstraint("length(code) = 3"))
        """,
        'op.drop_table("codes")\nop.drop_table("tickets")',
    )
    revision(
        versions,
        "b2",
        "a1",
        "op.create_index('ix_tickets_state', 'tickets', ['state'])",
        "op.drop_index('ix_tickets_state', table_name='tickets')",
    )
    revision(
        versions,
        "c3",
        "b2",
        "op.execute(\"UPDATE tickets SET state = 'closed'\")",
        "op.execute('SELECT 1')  # the old states are gone",
    )
    url = postgres.url  # type: ignore[attr-defined]
    result = pytester.runpytest(
        f"--releasesafe-database={url}", "-p", "no:cacheprovider", "-k", "data", "-rA"
    )
    # tickets get the listed states (so c3's UPDATE shows as lost data); codes cannot be seeded.
    result.stdout.fnmatch_lines(
        [
            # The upgrade overwrote them: no downgrade could bring them back.
            "*upgrade() of c3 overwrites the values of tickets.state: 2 of 3 values do not come back"
            " (e.g. id=101: 'open' -> 'closed'); this upgrade is lossy*",
            "(not seeded: codes: the database refused generated rows:*",
            "*ReleasesafeVerifyWarning: checked without rows: codes: the database refused generated rows:*",
            "PASSED releasesafe::data?b2_step?",
            "FAILED releasesafe::data?c3_step?*",
        ]
    )


def test_broken_env_py_is_named_without_a_traceback(pytester: pytest.Pytester, postgres: object) -> None:
    versions = small_project(pytester, env_py="import missing_package_for_models\n")
    revision(versions, "a1", None, "op.execute('SELECT 1')", "op.execute('SELECT 2')")
    outcome = run_items(pytester, postgres, "--releasesafe-checks=history,stairway")
    assert outcome.passed == ["releasesafe::history"]
    message = outcome.failed["releasesafe::stairway[a1_step]"]
    assert message.startswith(str(pytester.path / "migrations" / "env.py"))
    assert "env.py failed: ModuleNotFoundError: No module named 'missing_package_for_models'" in message
    assert "Traceback" not in message and "File " not in message


def test_last_failed_reruns_exactly_the_failed_checks(pytester: pytest.Pytester) -> None:
    copy_example(pytester, "broken")
    first = pytester.runpytest("--releasesafe-database=sqlite", "-q")
    first.assert_outcomes(passed=10, failed=4, skipped=1)
    again = pytester.runpytest("--releasesafe-database=sqlite", "-q", "--lf")
    again.assert_outcomes(failed=4, deselected=11)
    again.stdout.fnmatch_lines(["FAILED releasesafe::stairway[[]2c20_add_audit_log[]] - *"])
