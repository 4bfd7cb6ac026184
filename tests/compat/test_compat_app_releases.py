"""examples/compat_app: every release-2 overlay leaves the app's own test suite passing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "compat_app"
OVERLAYS = sorted(p.name for p in (EXAMPLE / "releases").iterdir() if p.is_dir())
POSTGRES_URL = os.environ.get(
    "RELEASESAFE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _run_app_tests(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--releasesafe-database={POSTGRES_URL}",
            "tests",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.mark.parametrize("overlay", [None, *OVERLAYS])
def test_app_tests_pass_on_release_1_and_after_each_release_2_overlay(
    tmp_path: Path, overlay: str | None
) -> None:
    project = tmp_path / "compat_app"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("releases", "__pycache__"))
    if overlay is not None:
        shutil.copytree(EXAMPLE / "releases" / overlay, project, dirs_exist_ok=True)
    done = _run_app_tests(project)
    assert done.returncode == 0 and " passed" in done.stdout, done.stdout[-2000:] + done.stderr[-2000:]


def test_example_has_a_readme_naming_every_overlay() -> None:
    readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    assert all(f"`{overlay}`" in readme for overlay in OVERLAYS)
