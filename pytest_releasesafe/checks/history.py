"""The revision graph of an Alembic history, for the project-level history rules.

The engine hands over the revisions among the linted files. A pre-commit run lints only the changed
files, so the rest of each versions/ folder is read here too (statically, like every revision):
otherwise every parent outside the changed set would look missing and every new file a head.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from pytest_releasesafe.engine import RevisionInfo

_BRANCH_LABELS = re.compile(r"^branch_labels\s*(?::[^=\n]+)?=\s*(?!None\b)\S", re.M)


@dataclass(frozen=True)
class History:
    revisions: tuple[RevisionInfo, ...]  # every revision known: linted, or read from the same folders
    linted: frozenset[str]  # display paths of the linted ones

    def by_id(self) -> dict[str, list[RevisionInfo]]:
        ids: dict[str, list[RevisionInfo]] = {}
        for info in self.revisions:
            if info.revision:
                ids.setdefault(info.revision, []).append(info)
        return ids

    def heads(self) -> list[RevisionInfo]:
        parents = {down for info in self.revisions for down in info.down_revision}
        return [info for info in self.revisions if info.revision and info.revision not in parents]

    def uses_branch_labels(self) -> bool:
        """Independent branches (`branch_labels`) have one head each, on purpose."""
        for info in self.revisions:
            try:
                text = Path(info.path).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if _BRANCH_LABELS.search(text):
                return True
        return False


T = TypeVar("T")
_MEMO_LIMIT = 64  # a long-lived language server lints many histories: forget them now and then


def _remembered(memo: dict[tuple, T], key: tuple, make: Callable[[], T]) -> T:
    """`memo[key]`, made once (every project check of a run asks for the same history)."""
    if key not in memo:
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        memo[key] = make()
    return memo[key]


def _key(revisions: list[RevisionInfo]) -> tuple:
    # The paths are relative to the working directory: it is part of the key (asked once, not per
    # revision).
    return (os.getcwd(), *((r.path, r.revision, r.down_revision) for r in revisions))


_histories: dict[tuple, History] = {}
_projects: dict[tuple, list[History]] = {}


def history(revisions: list[RevisionInfo]) -> History:
    return _remembered(_histories, _key(revisions), lambda: _complete(revisions))


def histories(revisions: list[RevisionInfo]) -> list[History]:
    """One history per Alembic project, so linting a folder of several projects (a monorepo) never
    reads one project's revision 0001 as a duplicate of another's, or their heads as one history's."""

    def split() -> list[History]:
        cwd = os.getcwd()
        projects: dict[str, list[RevisionInfo]] = {}
        for info in revisions:
            folder = os.path.dirname(os.path.normpath(os.path.join(cwd, info.path)))
            projects.setdefault(_project_of_folder(folder), []).append(info)
        return [history(group) for _, group in sorted(projects.items())]

    found: list[History] = _remembered(_projects, _key(revisions), split)
    return list(found)


@lru_cache(maxsize=1024)
def _project_of_folder(folder: str) -> str:
    """The folder holding the project's env.py (the revision's folder or its parent), else the revision's folder."""
    for directory in (folder, os.path.dirname(folder)):
        if os.path.isfile(os.path.join(directory, "env.py")):
            return directory
    return folder


def _complete(revisions: list[RevisionInfo]) -> History:
    cwd = os.getcwd()  # once: abspath would ask for it per revision
    known = {os.path.normpath(os.path.join(cwd, r.path)) for r in revisions}
    everything = list(revisions)
    for folder in sorted({os.path.dirname(path) for path in known}):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            path = os.path.join(folder, name)
            if name.endswith(".py") and path not in known:
                info = _sibling_revision(path)
                if info is not None:
                    known.add(path)
                    everything.append(info)
    return History(tuple(everything), frozenset(r.path for r in revisions))


def _sibling_revision(path: str) -> RevisionInfo | None:
    """A revision that is not linted, read as cheaply as possible: a pre-commit run reads the whole
    folder for five changed files. Bytes regexes: no decoding, two searches per file."""
    from pytest_releasesafe.engine import RevisionInfo

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:  # a folder named *.py, a broken link, no permission: not a revision we can use
        return None
    revision = _REVISION_BYTES.search(data)
    down = _DOWN_REVISION_BYTES.search(data)
    if revision is None or down is None or b"def upgrade" not in data:
        return None
    cwd = os.getcwd() + os.sep
    display = path[len(cwd) :] if path.startswith(cwd) else path
    downs = tuple(q.decode("utf-8", "replace") for q in _QUOTED_BYTES.findall(down.group(1)))
    line = data.count(b"\n", 0, revision.start()) + 1
    return RevisionInfo(display, revision.group(1).decode("utf-8", "replace"), downs, line)


# The engine's revision patterns, on bytes.
_REVISION_BYTES = re.compile(rb"^revision\s*(?::\s*\w+\s*)?=\s*[uUrR]?['\"]([^'\"]+)['\"]", re.M)
_DOWN_REVISION_BYTES = re.compile(rb"^down_revision\s*(?::[^=\n]+)?=\s*(\([^)]*\)|\[[^\]]*\]|.+)$", re.M)
_QUOTED_BYTES = re.compile(rb"['\"]([^'\"]+)['\"]")
