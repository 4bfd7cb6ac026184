"""stdout carries only the report (or diff); notes go to stderr; colour follows NO_COLOR and FORCE_COLOR."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import releasesafe

FIXABLE = "CREATE INDEX ix_users_email ON users (email);\n"


def test_show_fixes_prints_only_the_diff_on_stdout_and_notes_on_stderr(tmp_path: Path) -> None:
    (tmp_path / "a.sql").write_text(FIXABLE)
    done = releasesafe("lint", "--show-fixes", "a.sql", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith("--- a/a.sql\n+++ b/a.sql\n@@")
    assert done.stdout.rstrip().endswith("+CREATE INDEX CONCURRENTLY ix_users_email ON users (email);")
    assert done.stderr == ""


def test_nothing_to_fix_note_is_on_stderr(tmp_path: Path) -> None:
    (tmp_path / "a.sql").write_text("SELECT 1;\n")
    done = releasesafe("lint", "--show-fixes", "a.sql", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout == "" and "nothing to fix" in done.stderr


def test_markdown_file_named_explicitly_is_skipped_with_the_reason_not_parsed_as_sql(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Migrations\n\nRun `DROP TABLE users;` never.\n")
    done = releasesafe("lint", "--no-cache", "README.md", cwd=tmp_path)
    assert done.returncode == 0
    assert "README.md: skipped, not a migration (lint reads .sql and .py files)" in done.stderr
    assert "RS" not in done.stdout


@pytest.mark.parametrize(
    ("env", "coloured"),
    [
        ({"FORCE_COLOR": "1"}, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),  # no-color.org: NO_COLOR wins
        ({"FORCE_COLOR": "0"}, False),
        ({}, False),  # not a terminal
    ],
)
def test_colour_follows_force_color_and_no_color(tmp_path: Path, env: dict[str, str], coloured: bool) -> None:
    (tmp_path / "a.sql").write_text(FIXABLE)
    base = {"NO_COLOR": "", "FORCE_COLOR": ""}
    done = releasesafe("lint", "--no-cache", "a.sql", cwd=tmp_path, env={**base, **env})
    assert done.returncode == 1 and "RS101" in done.stdout
    assert ("\x1b[" in done.stdout) is coloured
