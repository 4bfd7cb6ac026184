"""`compare.disagreements`: static findings against the example's real trace, and via `lint --trace`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from trace_helpers import EXAMPLE, write_project

from pytest_releasesafe.cli import main
from pytest_releasesafe.verify.trace.compare import TraceFormatError, disagreements, revision_of

VERSIONS = EXAMPLE / "migrations" / "versions"


def finding(file: str, rule: str, name: str, message: str, line: int = 17) -> dict[str, Any]:
    return {
        "path": str(VERSIONS / file),
        "line": line,
        "column": 5,
        "end_line": line,
        "end_column": 60,
        "rule": rule,
        "name": name,
        "severity": "error",
        "message": message,
        "help": "",
    }


INDEX_FINDING = finding(
    "0003_index_account.py",
    "RS101",
    "create-index-not-concurrently",
    "CREATE INDEX ix_orders_account_id on existing table orders takes a SHARE lock",
)


@pytest.fixture(scope="module")
def trace(example_trace: Any) -> list[dict[str, Any]]:
    return example_trace.to_json_list()


def by_revision(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {revision_of(item["path"]) or item["path"]: item for item in results}


def test_revision_ids_are_read_without_importing() -> None:
    assert revision_of(str(VERSIONS / "0005_add_referrer.py")) == "0005"
    assert revision_of(str(EXAMPLE / "alembic.ini")) is None


def test_blocking_locks_no_finding_covers_are_reported_at_the_revision(trace: list[dict[str, Any]]) -> None:
    results = disagreements([INDEX_FINDING], trace)
    found = by_revision(results)
    assert sorted(found) == ["0002", "0005", "0006", "0007"]  # 0003 is covered by RS101
    bigint = found["0002"]
    assert bigint["rule"] == "RS900"
    assert bigint["name"] == "trace-disagreement"
    assert bigint["severity"] == "warning"
    assert bigint["line"] == 16  # def upgrade()
    assert "AccessExclusiveLock on existing table orders (blocks reads and writes)" in bigint["message"]
    fk = found["0007"]["message"]
    both = (
        "ShareRowExclusiveLock on existing table accounts and ShareRowExclusiveLock on existing table orders"
    )
    assert both in fk
    assert set(results[0]) == {
        "path", "line", "column", "end_line", "end_column", "rule", "name", "severity", "message", "help",
    }  # fmt: skip


def test_any_finding_naming_the_table_counts_as_flagged(trace: list[dict[str, Any]]) -> None:
    drop = finding(
        "0005_add_referrer.py", "RS511", "drop-column", "Dropping accounts.referrer breaks old code"
    )
    assert "0005" not in by_revision(disagreements([INDEX_FINDING, drop], trace))


def test_a_predicted_lock_the_trace_did_not_see_is_reported(
    trace: list[dict[str, Any]],
) -> None:
    wrong = finding(
        "0004_index_nickname_concurrently.py",
        "RS101",
        "create-index-not-concurrently",
        "CREATE INDEX ix_accounts_nickname on existing table accounts takes a SHARE lock",
        line=18,
    )
    results = [item for item in disagreements([INDEX_FINDING, wrong], trace) if item["path"] == wrong["path"]]
    assert len(results) == 1
    assert (results[0]["line"], results[0]["column"]) == (18, 5)
    assert "RS101 create-index-not-concurrently predicts a blocking lock" in results[0]["message"]
    assert "saw none on accounts" in results[0]["message"]


def test_findings_that_predict_no_lock_or_whose_revision_was_not_traced_are_left_alone(
    trace: list[dict[str, Any]],
) -> None:
    rename = finding(
        "0004_index_nickname_concurrently.py", "RS501", "rename-column", "Renaming accounts.x breaks"
    )
    untraced = dict(INDEX_FINDING, path=str(EXAMPLE / "not_a_revision.sql"))
    results = disagreements([INDEX_FINDING, rename, untraced], trace)
    assert not any("0004" in item["path"] for item in results)


def test_a_malformed_trace_is_a_clear_error() -> None:
    with pytest.raises(TraceFormatError, match="JSON list"):
        disagreements([], {"revision": "1"})  # type: ignore[arg-type]
    with pytest.raises(TraceFormatError, match="statement #2"):
        disagreements([], [{"revision": "1", "sql": "", "locks": [], "blocks": None}, {"sql": "x"}])


def test_lint_trace_reports_what_the_linter_could_not_judge(tmp_path: Path, trace_server: Any) -> None:
    # SQL computed at run time: the linter can only ask for a review, the trace sees the lock.
    write_project(
        tmp_path,
        [
            'op.create_table("items", sa.Column("id", sa.Integer, primary_key=True))',
            """
            def column(name):
                return f"ALTER TABLE items ADD COLUMN {name} integer"

            op.execute(column("price"))
            """,
        ],
    )
    report = tmp_path / "trace.json"
    runner = CliRunner()
    traced = runner.invoke(
        main,
        [
            "trace",
            "-c",
            str(tmp_path / "alembic.ini"),
            "--database",
            trace_server.url,
            "-o",
            str(report),
            "--format",
            "json",
        ],
    )
    assert traced.exit_code == 1, traced.output
    result = runner.invoke(main, ["lint", str(tmp_path), "--trace", str(report), "--format", "json"])
    disagreements_found = [item for item in json.loads(result.stdout) if item["rule"] == "RS900"]
    assert len(disagreements_found) == 1
    assert disagreements_found[0]["path"].endswith("0002_step.py")
    assert (
        "ADD COLUMN price integer` take AccessExclusiveLock on existing table items"
        in disagreements_found[0]["message"]
    )


def test_lint_with_a_trace_that_is_not_a_trace_report_is_a_usage_error(tmp_path: Path) -> None:
    report = tmp_path / "trace.json"
    report.write_text('{"revision": "0002"}')
    result = CliRunner().invoke(main, ["lint", str(EXAMPLE), "--trace", str(report)])
    assert result.exit_code == 2
    assert "--trace: a trace report is a JSON list of statements" in result.output
