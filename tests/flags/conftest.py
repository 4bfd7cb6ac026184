"""Helpers: small throw-away projects on disk, removal runs on them, CLI runs."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from pytest_releasesafe.flags.config import find_pyproject, load_config
from pytest_releasesafe.flags.removal import RemovalResult, remove_flag

PYPROJECT = """\
[tool.releasesafe.flags]
checks = ["app.flags:is_on"]
registries = ["app.flags:FLAGS"]
"""

FLAGS_MODULE = """\
FLAGS = {"new_flow": True, "other": False}


def is_on(name, context=None):
    return FLAGS.get(name, False)
"""


def write_project(root: Path, files: dict[str, str], pyproject: str = PYPROJECT) -> Path:
    (root / "pyproject.toml").write_text(pyproject)
    (root / "app").mkdir(exist_ok=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "flags.py").write_text(FLAGS_MODULE)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def run_removal(root: Path, flag: str, value: bool) -> RemovalResult:
    config = load_config(find_pyproject(root))
    return remove_flag([root], flag, value, config)


def removal_outcome(
    root: Path, flag: str = "new_flow"
) -> tuple[list[tuple[object, ...]], str, list[tuple[int, str]]]:
    """Removing `flag` (on) from the project at `root`: app/mod.py's references, rewritten text and notes."""
    result = run_removal(root, flag, True)
    (change,) = [change for change in result.changes if change.path.name == "mod.py"]
    assert change.error is None
    references: list[tuple[object, ...]] = [
        (reference.line, reference.column, reference.end_line, reference.end_column, reference.check)
        for reference in result.scan.references
        if reference.path.endswith("mod.py")
    ]
    return references, change.after, [(note.line, note.message) for note in change.notes]


def apply(result: RemovalResult) -> None:
    for change in result.changes:
        if change.changed:
            change.path.write_text(change.after)


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    def make(files: dict[str, str], pyproject: str = PYPROJECT) -> Path:
        return write_project(tmp_path, files, pyproject)

    return make


@pytest.fixture(autouse=True, params=["per-statement", "whole-module"])
def removal_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every removal test runs both ways: a window of statements at a time, and the module as a
    whole. The expected text is the same, so the two paths cannot drift apart."""
    from pytest_releasesafe.flags import removal

    monkeypatch.setattr(removal, "PER_STATEMENT", request.param == "per-statement")
    return str(request.param)
