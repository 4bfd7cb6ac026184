"""Every command shown in README.md and docs/*.md runs as written.

Fenced `bash`/`sh`/`shell` blocks (every line a command) and `console` blocks (lines after `$ `)
are extracted and run, block by block (a `cd` carries to the next line of its block), in a temp copy
of the project the page is about. The few that cannot run here are in NOT_RUNNABLE with the reason.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_helpers import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```(bash|sh|shell|console)\n(.*?)^```", re.S | re.M)

# The command as written -> why it cannot run in this test.
NOT_RUNNABLE = {
    "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/releasesafe lint examples/": (
        "creates a virtualenv and installs from the package index: the environment running this test"
    ),
    "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/pytest -n 2": (
        "creates a virtualenv and runs the whole suite (this test is part of it)"
    ),
    "RELEASESAFE_DATABASE=postgresql://app@db:5432/postgres pytest": "needs a server named `db` on your network",
    "pytest --releasesafe-database=mysql": "starts a private MariaDB for the session: tests/db cover it",
    "git worktree add ../previous v1.4.0": "a layout of your own checkouts (../previous, ../main)",
    "cd ../previous && pytest --releasesafe-schema-from=../main/migrations": "see git worktree above",
    "cd ../previous": "see git worktree above",
    "pytest --releasesafe-schema-from=/path/to/current/checkout/migrations": "see git worktree above",
    'releasesafe stats --url "$PRODUCTION_READONLY_URL" -o releasesafe-stats.json': (
        "reads your production server; tests/sizes run it against the local PostgreSQL and MariaDB"
    ),
    "python lint/gen_pg_facts.py --url postgresql://postgres@127.0.0.1/postgres": (
        "measures every type change on a server for minutes; the --check next to it runs"
    ),
}
# Usage synopses ([OPTIONAL] and a|b alternatives) describe a command; they are not one.
_SYNOPSIS = re.compile(r"\[--?[a-z]|\w\|\w|^\s+\[")

# Commands whose documented outcome is a non-zero exit: findings (1) are what they are shown for.
EXIT_1_DOCUMENTED = (
    "releasesafe lint",
    "releasesafe flags scan",
    "releasesafe trace",
    "releasesafe compat",
    "pytest --releasesafe-compat-base",
)

# Blocks whose page shows the run failing on purpose (the example is broken to show the report).
FAILS_BY_DESIGN = {"docs/verify.md": "shows the failures found in examples/alembic_roundtrip/broken"}


@dataclass(frozen=True)
class Block:
    page: str
    line: int
    commands: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


def _strip_comment(command: str) -> str:
    return re.sub(r"\s+#\s.*$", "", command).rstrip()


def blocks() -> list[Block]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            language, body = match.groups()
            lines = body.splitlines()
            if language == "console":
                lines = [line[2:] for line in lines if line.startswith("$ ")]
            commands = tuple(
                _strip_comment(line) for line in lines if line.strip() and not line.lstrip().startswith("#")
            )
            if commands:
                found.append(
                    Block(str(page.relative_to(ROOT)), text[: match.start()].count("\n") + 1, commands)
                )
    return found


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _compat_history(workdir: Path) -> Path:
    """compat_app as docs/compat.md shows it: release v1.4.0 tagged, the rename as the current tree."""
    project = workdir / "compat_app"
    example = ROOT / "examples" / "compat_app"
    shutil.copytree(example, project, ignore=shutil.ignore_patterns("releases", "__pycache__"))
    for args in (
        ("init", "-q", "-b", "main"),
        ("config", "user.email", "d@e.x"),
        ("config", "user.name", "d"),
    ):
        _git(project, *args)
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "release 1.4.0")
    _git(project, "tag", "v1.4.0")
    shutil.copytree(example / "releases" / "rename_column", project, dirs_exist_ok=True)
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "rename email")
    return project


def _repo_copy(workdir: Path) -> Path:
    copy = workdir / "repo"
    skip = (
        ".venv",
        ".git",
        "*.egg-info",
        "__pycache__",
        ".releasesafe_cache",
        ".pytest_cache",
        ".ruff_cache",
    )
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*skip))
    return copy


def _example(name: str) -> object:
    def make(workdir: Path) -> Path:
        target = workdir / name
        shutil.copytree(ROOT / "examples" / name, target, ignore=shutil.ignore_patterns("__pycache__"))
        return target

    return make


# Where a page's commands run: the project the page is about; a block naming repository paths
# (examples/..., lint/...) runs in a copy of the repository.
_REPO_PATHS = re.compile(r"(^|\s)(examples|lint)/")
CONTEXTS = {
    "README.md": _repo_copy,
    "docs/autofix.md": _example("linter_showcase"),
    "docs/compat.md": _compat_history,
    "docs/databases.md": _example("db_project"),
    "docs/flags.md": _example("flags_app"),
    "docs/sizes.md": _example("linter_showcase"),
    "docs/trace.md": _example("trace_project"),
    "docs/verify.md": lambda workdir: _example("alembic_roundtrip")(workdir) / "broken",
}


def _runnable(command: str) -> bool:
    return command not in NOT_RUNNABLE and not _SYNOPSIS.search(command)


BLOCKS = [b for b in blocks() if any(_runnable(c) for c in b.commands)]


def test_every_documented_command_is_run_or_allow_listed_with_a_reason() -> None:
    written = {command for block in blocks() for command in block.commands}
    assert set(NOT_RUNNABLE) <= written, f"stale allow-list entries: {set(NOT_RUNNABLE) - written}"
    assert len(BLOCKS) >= 8  # the extraction finds the pages' commands


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.id)
def test_documented_commands_run_as_written(block: Block, tmp_path: Path) -> None:
    make = _repo_copy if any(_REPO_PATHS.search(c) for c in block.commands) else CONTEXTS[block.page]
    cwd = Path(make(tmp_path))  # type: ignore[operator]
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "RELEASESAFE_DATABASE": os.environ.get(
            "RELEASESAFE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        "NO_COLOR": "1",
    }
    for command in block.commands:
        if not _runnable(command):
            continue
        script = f"{command}\nstatus=$?\npwd > {tmp_path / '.cwd'}\nexit $status\n"
        done = subprocess.run(
            ["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
        )
        allowed = {0, 1} if command.startswith(EXIT_1_DOCUMENTED) or block.page in FAILS_BY_DESIGN else {0}
        output = done.stdout[-3000:] + done.stderr[-3000:]
        assert done.returncode in allowed, f"{block.id}: `{command}` exited {done.returncode}\n{output}"
        assert "Traceback (most recent call last)" not in done.stderr, f"{block.id}: `{command}`\n{output}"
        cwd = Path((tmp_path / ".cwd").read_text().strip())
