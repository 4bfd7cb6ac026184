"""The base release's code: resolve a git ref and check it out into a temporary worktree."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pytest_releasesafe.verify.compat.errors import CompatError


@dataclass(frozen=True)
class Base:
    ref: str
    commit: str


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise CompatError("git is not installed; compat needs it to check out the base release") from None


def repo_root(project: Path) -> Path:
    result = _git(project, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        raise CompatError(f"{project} is not inside a git checkout: {result.stderr.strip()}")
    return Path(result.stdout.strip()).resolve()


def resolve(repo: Path, ref: str) -> Base:
    if not ref or ref.startswith("-"):
        raise CompatError(f"--base {ref!r} is not a git ref")
    result = _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if result.returncode != 0:
        raise CompatError(f"--base {ref!r}: no such tag, branch or commit in {repo}")
    return Base(ref=ref, commit=result.stdout.strip())


@contextmanager
def worktree(repo: Path, base: Base) -> Iterator[Path]:
    """A detached checkout of `base`, removed (with its git bookkeeping) however the block ends."""
    try:
        parent = Path(tempfile.mkdtemp(prefix="releasesafe-compat-"))
    except OSError as error:
        raise CompatError(
            f"cannot create a temporary directory for the worktree of {base.ref}: {error}"
        ) from None
    path = parent / "base"
    result = _git(repo, "worktree", "add", "--detach", "--quiet", str(path), base.commit)
    if result.returncode != 0:
        shutil.rmtree(parent, ignore_errors=True)
        _git(repo, "worktree", "prune")
        raise CompatError(f"cannot check out {base.ref} into a worktree: {result.stderr.strip()}")
    try:
        yield path
    finally:
        _git(repo, "worktree", "remove", "--force", str(path))
        shutil.rmtree(parent, ignore_errors=True)
        _git(repo, "worktree", "prune")
