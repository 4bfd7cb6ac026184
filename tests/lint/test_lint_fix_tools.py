"""A fix never produces what our own rules reject: in goose and dbmate steps (run in a transaction by
default) CONCURRENTLY comes with the tool's no-transaction marker, or the statement is left alone
with the reason. Checked by fixing, then linting again with the real CLI."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from pytest_releasesafe.cli import main
from pytest_releasesafe.fixes import FIXABLE_RULES

INDEX = "CREATE INDEX ix_users_email ON users (email);"
FK = "ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id);"

FIXABLE_FILES = {
    "goose": ("001_index.sql", f"-- +goose Up\n{INDEX}\n\n-- +goose Down\nDROP INDEX ix_users_email;\n"),
    "dbmate": (
        "20240101_index.sql",
        f"-- migrate:up\n{INDEX}\n{FK}\n\n-- migrate:down\nDROP INDEX ix_users_email;\n",
    ),
    "sql-migrate": (
        "1_index.sql",
        f"-- +migrate Up\n{INDEX}\n\n-- +migrate Down\nDROP INDEX ix_users_email;\n",
    ),
    "golang-migrate": ("000001_index.up.sql", f"{INDEX}\n"),
    "flyway": ("V2__index.sql", f"{INDEX}\n{FK}\n"),
    "plain": ("002_index.sql", f"{INDEX}\n{FK}\n"),
}


def lint_json(path: Path) -> list[dict]:
    result = CliRunner().invoke(main, ["lint", "--no-cache", "--format", "json", str(path)])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def fix(path: Path) -> str:
    result = CliRunner().invoke(main, ["lint", "--no-cache", "--fix", "--format", "json", str(path)])
    assert result.exit_code in (0, 1), result.output
    return result.stderr


@pytest.mark.parametrize("tool", sorted(FIXABLE_FILES))
def test_fix_then_relint_gives_no_new_finding(tmp_path: Path, tool: str) -> None:
    name, text = FIXABLE_FILES[tool]
    path = tmp_path / name
    path.write_text(text)
    before = Counter(f["rule"] for f in lint_json(path))
    assert before & Counter(FIXABLE_RULES), "the file must have something to fix"
    stderr = fix(path)
    assert "fixed" in stderr, stderr
    after = Counter(f["rule"] for f in lint_json(path))
    assert not (after & Counter(FIXABLE_RULES)), f"still flagged after the fix: {after}"
    assert not after - before, f"the fix introduced {after - before}"
    assert "CONCURRENTLY" in path.read_text()


def test_goose_file_gets_no_transaction_marker_before_its_up_step(tmp_path: Path) -> None:
    path = tmp_path / "001_index.sql"
    path.write_text(FIXABLE_FILES["goose"][1])
    fix(path)
    assert path.read_text().startswith(
        "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY ix_users_email ON users (email);"
    )


def test_dbmate_up_step_gets_transaction_false_and_its_down_step_keeps_its_transaction(
    tmp_path: Path,
) -> None:
    path = tmp_path / "20240101_index.sql"
    path.write_text(FIXABLE_FILES["dbmate"][1])
    fix(path)
    lines = path.read_text().splitlines()
    assert lines[0] == "-- migrate:up transaction:false"
    assert "-- migrate:down" in lines and "ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_user;" in lines


@pytest.mark.parametrize(
    ("name", "text", "why"),
    [
        (
            "001_mixed.sql",
            f"-- +goose Up\nALTER TABLE users ADD COLUMN email text;\nUPDATE users SET email = name;\n{INDEX}\n",
            "move the flagged statement into a migration of its own with `-- +goose NO TRANSACTION`",
        ),
        (
            "002_mixed.sql",
            f"-- migrate:up\nUPDATE users SET email = name;\n{INDEX}\n-- migrate:down\nSELECT 1;\n",
            "with `-- migrate:up transaction:false`",
        ),
        (
            "003_liquibase.sql",
            f"-- liquibase formatted sql\n-- changeset me:1\n{INDEX}\n",
            "has no known opt-out",
        ),
    ],
)
def test_statements_that_must_stay_in_the_tools_transaction_are_left_unfixed_with_a_reason(
    tmp_path: Path, name: str, text: str, why: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    stderr = fix(path)
    assert f"{name}: left unfixed" in stderr and why in stderr, stderr
    assert path.read_text() == text
    assert not any(f["rule"] == "RS102" for f in lint_json(path))
