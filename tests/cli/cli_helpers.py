"""Run the real `releasesafe` command the way a user does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def releasesafe(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest_releasesafe", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def git_repo(path: Path) -> None:
    """A git repository with one empty commit, ready for `--diff HEAD`."""
    for args in (
        ("init", "-q", "-b", "main"),
        ("config", "user.email", "dev@example.com"),
        ("config", "user.name", "dev"),
        ("commit", "-q", "--allow-empty", "-m", "start"),
    ):
        subprocess.run(["git", *args], cwd=path, check=True, capture_output=True)
