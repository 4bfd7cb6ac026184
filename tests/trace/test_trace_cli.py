"""`releasesafe trace` end to end: real CLI, real server (a fresh database is made on it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from trace_helpers import EXAMPLE_CONFIG

from pytest_releasesafe.cli import main

CONFIG = str(EXAMPLE_CONFIG)


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["trace", *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def server_url(trace_server: Any) -> str:
    return trace_server.url


def test_json_report_lists_every_statement_and_exits_1_on_blocking_locks(server_url: str) -> None:
    result = run("-c", CONFIG, "--database", server_url, "--format", "json")
    assert result.exit_code == 1, result.output
    statements = json.loads(result.stdout)
    assert [item["revision"] for item in statements] == [
        "0001",
        "0001",
        "0002",
        "0003",
        "0004",
        "0005",
        "0006",
        "0007",
    ]
    assert {item["revision"]: item["blocks"] for item in statements[2:]} == {
        "0002": "reads",
        "0003": "writes",
        "0004": None,
        "0005": "reads",
        "0006": "reads",
        "0007": "writes",
    }


def test_exit_0_when_only_new_tables_are_locked(server_url: str) -> None:
    result = run("-c", CONFIG, "--database", server_url, "--to", "0001")
    assert result.exit_code == 0, result.output
    assert "none of 2 statements blocks reads or writes of an existing table" in result.stdout


def test_from_applies_earlier_revisions_untraced(server_url: str) -> None:
    result = run(
        "-c",
        CONFIG,
        "--database",
        server_url,
        "--from",
        "0003",
        "--to",
        "0004",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    statements = json.loads(result.stdout)
    assert [item["revision"] for item in statements] == ["0004"]
    assert statements[0]["locks"][0] == {
        "relation": "accounts",
        "kind": "table",
        "mode": "ShareUpdateExclusiveLock",
    }


def test_text_report_names_what_blocks_and_the_rewrites(server_url: str) -> None:
    result = run("-c", CONFIG, "--database", server_url, "--to", "0002", "--rows", "50")
    assert result.exit_code == 1
    assert "0002  widen orders.total to bigint" in result.stdout
    assert "rewrites: orders, orders_pkey" in result.stdout
    assert "BLOCKS READS AND WRITES of orders" in result.stdout
    assert "2 revisions traced with 50 rows per existing table: 1 of 3 statements block" in result.stdout


def test_markdown_report_has_a_table_per_revision(server_url: str, tmp_path: Path) -> None:
    report = tmp_path / "trace.md"
    result = run("-c", CONFIG, "--database", server_url, "--format", "markdown", "-o", str(report))
    assert result.exit_code == 1
    text = report.read_text()
    assert text.startswith("## Migration lock trace\n")
    assert text.count("| Statement | Time | Strongest locks | Rewrites | Blocks | lock_timeout |") == 7
    assert "| `ALTER TABLE orders ALTER COLUMN total TYPE BIGINT` |" in text
    assert "**blocks reads and writes**" in text
    assert "orders: ShareLock" in text


def test_missing_config_is_a_usage_error_naming_the_file(tmp_path: Path) -> None:
    result = run("-c", str(tmp_path / "nope.ini"))
    assert result.exit_code == 2
    assert f"error: {tmp_path / 'nope.ini'}: Alembic config file not found" in result.stderr


def test_unknown_revision_is_a_usage_error(server_url: str) -> None:
    result = run("-c", CONFIG, "--database", server_url, "--from", "beef")
    assert result.exit_code == 2
    assert "cannot trace beef..heads" in result.stderr


def test_a_database_that_is_not_postgres_is_refused() -> None:
    result = run("-c", CONFIG, "--database", "sqlite")
    assert result.exit_code == 2
    assert "the trace needs PostgreSQL, not SQLite" in result.stderr


def test_an_unreachable_server_is_reported_not_raised() -> None:
    result = run("-c", CONFIG, "--database", "postgresql://postgres@127.0.0.1:9/postgres")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no PostgreSQL for the trace: cannot connect to")
