"""Which lines are new since a git ref: the pre-commit hook blocks only checks a commit adds.

``git diff --unified=0 REF`` gives the added lines of tracked files (staged or not: pre-commit
stashes what is not staged, so the work tree is the commit); untracked files are new as a whole.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")

# path (absolute) -> added line numbers, or None when the whole file is new
ChangedLines = dict[str, set[int] | None]


class ChangedLinesError(Exception):
    """git could not tell what changed; the message says why."""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ChangedLinesError(f"cannot run git: {error}") from None


def changed_lines(start: Path, ref: str) -> ChangedLines:
    folder = start if start.is_dir() else start.parent
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise ChangedLinesError(f"--diff needs a git repository; {folder} is not in one")
    root = Path(top.stdout.strip())
    changed: ChangedLines = {}
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z")
    for name in untracked.stdout.split("\0"):
        if name:
            changed[os.path.abspath(root / name)] = None
    if _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode != 0:
        if ref == "HEAD" and _git(root, "rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
            # No commit yet: everything in the repository is new.
            for name in _git(root, "ls-files", "-z").stdout.split("\0"):
                if name:
                    changed[os.path.abspath(root / name)] = None
            return changed
        raise ChangedLinesError(f"--diff {ref}: not a commit in {root} (try a branch, tag or commit id)")
    diff = _git(root, "diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-renames", ref, "--")
    if diff.returncode != 0:
        raise ChangedLinesError(f"git diff {ref} failed: {diff.stderr.strip()}")
    current: set[int] | None = None
    for line in diff.stdout.splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            current = None
            if name != "/dev/null":
                path = os.path.abspath(root / name[2:] if name.startswith("b/") else root / name)
                current = changed.setdefault(path, set())
        elif current is not None and (match := _HUNK.match(line)):
            first, count = int(match.group(1)), int(match.group(2) or 1)
            current.update(range(first, first + count))
    return changed


def is_new(changed: ChangedLines, path: str, line: int) -> bool:
    lines = changed.get(os.path.abspath(path), set())
    return lines is None or line in lines
