"""`releasesafe compat --base v1` on the example app's release 2 variants, on Postgres and MariaDB."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from compat_helpers import commit_all, worktrees

from pytest_releasesafe.cli import main


def run_compat(repo: Path, database_url: str, *extra: str) -> Result:
    args = ["compat", "--base", "v1", "--project", str(repo), "--database", database_url, *extra]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def run_json(repo: Path, database_url: str) -> tuple[int, dict[str, Any]]:
    result = run_compat(repo, database_url, "--format", "json")
    assert worktrees(repo) == [f"worktree {repo}"], "the base checkout was not removed"
    return result.exit_code, json.loads(result.stdout)


def by_column(report: dict[str, Any]) -> dict[tuple[str, str | None], list[dict[str, Any]]]:
    found: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
    for item in report["breaks"]:
        found.setdefault((item["table"], item["column"]), []).append(item)
    return found


def test_rename_column_breaks_the_old_code(make_repo: Callable[..., Path], database_url: str) -> None:
    code, report = run_json(make_repo("rename_column"), database_url)

    assert code == 1
    assert report["compatible"] is False
    breaks = by_column(report)
    assert set(breaks) == {("users", "email")}
    email = breaks[("users", "email")]
    static = [item for item in email if item["operation"] == "schema"]
    assert [(item["kind"], item["renamed_to"], item["model"]) for item in static] == [
        ("missing-column", "email_address", "User.email")
    ]
    assert {item["operation"] for item in email} == {"schema", "INSERT", "SELECT", "UPDATE"}
    assert {item["revision"] for item in email} == {"0002"}
    assert all("email" in item["error"] for item in email if item["operation"] != "schema")
    assert "expand/contract" in static[0]["advice"]


def test_dropping_a_mapped_column_breaks_the_old_code(
    make_repo: Callable[..., Path], database_url: str
) -> None:
    code, report = run_json(make_repo("drop_column"), database_url)

    assert code == 1
    breaks = by_column(report)
    assert set(breaks) == {("users", "name")}
    assert {(item["kind"], item["operation"]) for item in breaks[("users", "name")]} >= {
        ("missing-column", "schema"),
        ("probe-failed", "INSERT"),
        ("probe-failed", "SELECT"),
    }
    assert {item["revision_path"] for item in breaks[("users", "name")]} == {
        "migrations/versions/0002_drop_name.py"
    }


def test_not_null_column_without_server_default_fails_old_inserts(
    make_repo: Callable[..., Path], database_url: str
) -> None:
    code, report = run_json(make_repo("not_null_column"), database_url)

    assert code == 1
    status = by_column(report)[("users", "status")]
    assert {(item["kind"], item["operation"]) for item in status} == {
        ("new-required-column", "schema"),
        ("probe-failed", "INSERT"),
    }
    insert = next(item for item in status if item["operation"] == "INSERT")
    assert "status" in insert["error"]
    assert insert["revision"] == "0002"
    assert len(report["breaks"]) == 2


def test_narrowed_column_rejects_the_old_codes_values(
    make_repo: Callable[..., Path], database_url: str
) -> None:
    code, report = run_json(make_repo("narrow_column"), database_url)

    assert code == 1
    name = by_column(report)[("users", "name")]
    kinds = {(item["kind"], item["operation"]) for item in name}
    assert ("narrowed-type", "schema") in kinds
    assert ("probe-failed", "INSERT") in kinds
    assert ("probe-failed", "UPDATE") in kinds


def test_culprit_is_the_revision_that_broke_it(make_repo: Callable[..., Path], database_url: str) -> None:
    code, report = run_json(make_repo("two_revisions"), database_url)

    assert code == 1
    assert [revision["id"] for revision in report["new_revisions"]] == ["0002", "0003"]
    assert set(by_column(report)) == {("users", "name")}
    assert {item["revision"] for item in report["breaks"]} == {"0003"}


def test_nullable_column_is_compatible(make_repo: Callable[..., Path], database_url: str) -> None:
    code, report = run_json(make_repo("nullable_column"), database_url)

    assert (code, report["compatible"], report["breaks"]) == (0, True, [])
    assert report["tables"] == ["users", "orders"]
    assert [revision["id"] for revision in report["new_revisions"]] == ["0002"]


def test_expand_step_of_a_rename_is_compatible(make_repo: Callable[..., Path], database_url: str) -> None:
    code, report = run_json(make_repo("expand_rename"), database_url)

    assert (code, report["compatible"], report["breaks"]) == (0, True, [])


def test_text_and_markdown_reports(make_repo: Callable[..., Path], postgres_url: str) -> None:
    repo = make_repo("rename_column")

    text = run_compat(repo, postgres_url)
    assert text.exit_code == 1
    assert "INCOMPATIBLE" in text.stdout
    assert "users.email  (old model attribute User.email)" in text.stdout
    assert (
        "revision: 0002 (rename users.email to email_address) in migrations/versions/0002_rename_email.py"
        in (text.stdout)
    )

    markdown = run_compat(repo, postgres_url, "--format", "markdown")
    assert markdown.exit_code == 1
    assert markdown.stdout.startswith("### releasesafe compat: **incompatible**")
    assert "| `users.email` | `User.email` |" in markdown.stdout
    assert "**Expand/contract instead:**" in markdown.stdout


def test_break_only_on_a_fresh_database_is_reported(
    make_repo: Callable[..., Path], postgres_url: str
) -> None:
    """An edited old migration: production (upgraded from v1) is fine, a fresh install is not."""
    repo = make_repo("nullable_column")
    initial = repo / "migrations" / "versions" / "0001_initial.py"
    initial.write_text(
        initial.read_text().replace('sa.Column("name", sa.String(100)', 'sa.Column("name", sa.String(10)')
    )
    commit_all(repo, "shorten users.name in the initial migration")

    code, report = run_json(repo, postgres_url)

    assert code == 1
    name = by_column(report)[("users", "name")]
    assert {(item["kind"], item["fresh_only"], item["revision"]) for item in name} >= {
        ("narrowed-type", True, None),
        ("probe-failed", True, None),
    }
