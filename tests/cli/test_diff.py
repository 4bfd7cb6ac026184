"""`lint --diff BASE` finds new (untracked) migrations wherever the config lives, and names a bad ref."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import git_repo, releasesafe

UNSAFE = "ALTER TABLE users RENAME TO people;\n"


def _rules(done_stdout: str) -> list[tuple[str, str]]:
    return [(f["path"], f["rule"]) for f in json.loads(done_stdout)]


def test_diff_finds_untracked_migration_when_pyproject_is_in_a_subfolder(tmp_path: Path) -> None:
    git_repo(tmp_path)
    app = tmp_path / "services" / "app"
    (app / "migrations").mkdir(parents=True)
    (app / "pyproject.toml").write_text("[tool.releasesafe]\n")
    (app / "migrations" / "0002_rename.sql").write_text(UNSAFE)
    done = releasesafe(
        "lint", "--no-cache", "--format", "json", "--diff", "HEAD", "--select", "RS5", "migrations", cwd=app
    )
    assert done.returncode == 1, done.stderr
    assert _rules(done.stdout) == [("migrations/0002_rename.sql", "RS502")]


def test_diff_finds_untracked_migration_without_any_pyproject(tmp_path: Path) -> None:
    git_repo(tmp_path)
    (tmp_path / "db" / "migrations").mkdir(parents=True)
    (tmp_path / "db" / "migrations" / "0002_rename.sql").write_text(UNSAFE)
    cwd = tmp_path / "db"
    done = releasesafe(
        "lint", "--no-cache", "--format", "json", "--diff", "HEAD", "--select", "RS5", "migrations", cwd=cwd
    )
    assert done.returncode == 1, done.stderr
    assert _rules(done.stdout) == [("migrations/0002_rename.sql", "RS502")]


def test_diff_with_unknown_ref_says_the_ref_does_not_exist(tmp_path: Path) -> None:
    git_repo(tmp_path)
    (tmp_path / "a.sql").write_text(UNSAFE)
    done = releasesafe("lint", ".", "--diff", "nosuchref", cwd=tmp_path)
    assert done.returncode == 2
    assert "no branch, tag or commit named 'nosuchref'" in done.stderr
    assert "Traceback" not in done.stderr
