"""The pytest items: one per revision, failing like the CLI, on a copy of examples/trace_project."""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from trace_helpers import EXAMPLE, write_project


@pytest.fixture
def project(pytester: pytest.Pytester, trace_server: Any) -> pytest.Pytester:
    shutil.copytree(EXAMPLE, pytester.path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    pytester.makepyfile(test_app="def test_app():\n    assert True\n")
    pytester.makeini(f"[pytest]\nreleasesafe_database = {trace_server.url}\nreleasesafe_trace = true\n")
    return pytester


def test_one_item_per_revision_fails_where_an_existing_table_is_blocked(project: pytest.Pytester) -> None:
    result = project.runpytest("-rA")
    result.assert_outcomes(passed=3, failed=5)
    result.stdout.fnmatch_lines(
        [
            "PASSED releasesafe-trace::0001_create_shop",
            "PASSED releasesafe-trace::0004_index_nickname_concurrently",
            "FAILED releasesafe-trace::0002_total_bigint - revision 0002*",
        ]
    )
    result.stdout.fnmatch_lines(
        ["  blocks writes (ShareLock on orders): CREATE INDEX ix_orders_account_id ON orders (account_id)"]
    )


def test_items_are_opt_in_and_selectable(project: pytest.Pytester, trace_server: Any) -> None:
    project.makeini(f"[pytest]\nreleasesafe_database = {trace_server.url}\n")
    off = project.runpytest("--collect-only", "-q")
    assert "releasesafe-trace" not in off.stdout.str()
    on = project.runpytest("--releasesafe-trace", "--releasesafe-trace-rows", "20", "-k", "0004 or 0006")
    on.assert_outcomes(passed=1, failed=1)
    on.stdout.fnmatch_lines(["*traced with 20 rows per table*"])


def test_a_failing_revision_fails_its_item_and_skips_the_rest(
    pytester: pytest.Pytester, trace_server: Any
) -> None:
    write_project(
        pytester.path,
        [
            'op.create_table("items", sa.Column("id", sa.Integer, primary_key=True))',
            'op.execute("ALTER TABLE items ADD COLUMN price integer NOT NULL")',
            'op.execute("SELECT 1")',
        ],
    )
    pytester.makeini(f"[pytest]\nreleasesafe_database = {trace_server.url}\nreleasesafe_trace = true\n")
    result = pytester.runpytest("-rA")
    result.assert_outcomes(passed=1, failed=1, skipped=1)
    result.stdout.fnmatch_lines(
        [
            "revision 0002 failed during the trace: NotNullViolation: *contains null values",
            "  statement: ALTER TABLE items ADD COLUMN price integer NOT NULL",
            "SKIPPED * not traced: revision 0002 failed before it",
        ]
    )


def test_without_a_server_the_items_are_skipped_with_the_reason(pytester: pytest.Pytester) -> None:
    shutil.copytree(EXAMPLE, pytester.path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    unreachable = "postgresql://postgres@127.0.0.1:9/postgres"
    pytester.makeini(f"[pytest]\nreleasesafe_database = {unreachable}\nreleasesafe_trace = true\n")
    result = pytester.runpytest("-rs")
    result.assert_outcomes(skipped=7)
    reason = "0001_create_shop.py:1: releasesafe trace needs PostgreSQL: cannot connect to postgresql"
    assert reason in result.stdout.str()


def test_a_broken_alembic_config_is_one_failing_item(pytester: pytest.Pytester, trace_server: Any) -> None:
    pytester.makeini(f"[pytest]\nreleasesafe_database = {trace_server.url}\nreleasesafe_trace = true\n")
    pytester.path.joinpath("alembic.ini").write_text("[alembic]\nscript_location = %(here)s/nowhere\n")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*alembic.ini: cannot load the Alembic scripts: *"])


def test_a_bad_rows_setting_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nreleasesafe_trace = true\nreleasesafe_trace_rows = many\n")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*releasesafe_trace_rows: expected a whole number of rows, got 'many'"])
