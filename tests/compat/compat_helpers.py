"""Helpers for the compat tests: the example app's two-release git history, and leftover checks."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import sqlalchemy as sa

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "compat_app"
RELEASES = EXAMPLE / "releases"


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Release Bot",
        "GIT_AUTHOR_EMAIL": "release@example.com",
        "GIT_COMMITTER_NAME": "Release Bot",
        "GIT_COMMITTER_EMAIL": "release@example.com",
    }
    result = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return result.stdout


def build_history(repo: Path, release_2: str | None, with_tests: bool = False) -> Path:
    """Release 1 of the example app tagged v1; with `release_2`, that overlay committed on top as v2.

    The app's own tests are left out unless asked for: they would run in every pytester session.
    """
    skipped = ["releases", "__pycache__"] + ([] if with_tests else ["tests"])
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns(*skipped))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "release 1")
    git(repo, "tag", "v1")
    if release_2 is not None:
        shutil.copytree(
            RELEASES / release_2, repo, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*skipped)
        )
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"release 2: {release_2}")
        git(repo, "tag", "v2")
    return repo


def leftover_databases(server: object) -> list[str]:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    pattern = f"releasesafe_compat_{worker}_%"
    engine: sa.Engine = server.admin_engine()  # type: ignore[attr-defined]
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            query = sa.text("SELECT datname FROM pg_database WHERE datname LIKE :pattern")
        else:
            query = sa.text(
                "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE :pattern"
            )
        return [row[0] for row in connection.execute(query, {"pattern": pattern})]


def worktrees(repo: Path) -> list[str]:
    return [
        line
        for line in git(repo, "worktree", "list", "--porcelain").splitlines()
        if line.startswith("worktree ")
    ]


def commit_all(repo: Path, message: str, tag: str | None = None) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    if tag:
        git(repo, "tag", tag)
