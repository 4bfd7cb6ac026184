"""The order a history's migrations run in, per tool, and which down step belongs to which up step.

Files are grouped into histories (one folder of migrations, or a tool's root) and ordered the
way the tool orders them:

- Alembic: the `down_revision` graph, parents before children (a merge after all its parents;
  branches side by side, in file order); ties broken by path.
- Flyway: `V<version>__name.sql` by version (1.2 < 1.10), `R__` repeatables after them;
  `U<version>__` undoes `V<version>__`.
- golang-migrate: `<N>_name.up.sql` by N; `<N>_name.down.sql` undoes it.
- Diesel: `<root>/<timestamp>_name/up.sql` by folder name; `down.sql` beside it undoes it.
- Prisma: `<root>/<timestamp>_name/migration.sql` by folder name.
- sqitch: `deploy/<change>.sql` in `sqitch.plan` order; `revert/<change>.sql` undoes it;
  `verify/` scripts change nothing and are not replayed.
- goose, dbmate, sql-migrate, plain folders: file names in natural order (2 < 10); their down
  sections live in the same file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

_FLYWAY = re.compile(r"^([VUR])(\d[\d._]*)?__.*\.sql$", re.IGNORECASE)
_GOLANG_MIGRATE = re.compile(r"^(\d+)_.*\.(up|down)\.sql$", re.IGNORECASE)
_DIGITS = re.compile(r"(\d+)")
SQITCH_DIRS = ("deploy", "revert", "verify")


@dataclass
class Unit:
    """One migration as a tool applies it: its up file (None when not linted) and its down steps."""

    up: str | None
    downs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Placed:
    history: str  # the folder the history lives in
    sort_key: tuple
    unit: str  # files with the same unit id in one history are one migration's up and down steps
    down: bool = False
    replayed: bool = True  # sqitch verify scripts are not


def natural(text: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part.lower() for part in _DIGITS.split(text))


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.split(r"[._]", text) if p.isdigit())


_PLACED: dict[str, Placed] = {}  # by path: outside sqitch folders a file's place is its path's alone


def place_sql(path: str, plans: dict[str, list[str]]) -> Placed:
    """Where a .sql file sits in its history. `plans` caches sqitch.plan orders by root folder."""
    placed = _PLACED.get(path)
    if placed is None:
        placed = _place_sql(path, plans)
        if placed.history not in plans:  # a sqitch place also depends on the plan file: not kept
            if len(_PLACED) > 100_000:
                _PLACED.clear()
            _PLACED[path] = placed
    return placed


def _place_sql(path: str, plans: dict[str, list[str]]) -> Placed:
    parts = path.replace("\\", "/").split("/")
    name, folders = parts[-1], parts[:-1]
    for position in range(len(folders) - 1, -1, -1):
        if folders[position] in SQITCH_DIRS:
            root = "/".join(folders[:position]) or "."
            change = "/".join([*folders[position + 1 :], name])[: -len(".sql")]
            plan = plans.setdefault(root, _sqitch_plan(root))
            rank = plan.index(change) if change in plan else len(plan)
            kind = folders[position]
            return Placed(root, (rank, natural(change)), change, kind == "revert", kind != "verify")
    parent = "/".join(folders) or "."
    if name.lower() in ("up.sql", "down.sql") and folders:
        root = "/".join(folders[:-1]) or "."
        return Placed(root, natural(folders[-1]), folders[-1], name.lower() == "down.sql")
    if name.lower() == "migration.sql" and folders:
        return Placed("/".join(folders[:-1]) or ".", natural(folders[-1]), folders[-1])
    flyway = _FLYWAY.match(name)
    if flyway:
        prefix, version = flyway.group(1).upper(), flyway.group(2) or ""
        if prefix == "R":
            return Placed(parent, (1, natural(name)), name)
        return Placed(parent, (0, _version(version)), f"V{_version(version)}", prefix == "U")
    golang = _GOLANG_MIGRATE.match(name)
    if golang:
        number = int(golang.group(1))
        return Placed(parent, (number,), f"{number}", golang.group(2).lower() == "down")
    return Placed(parent, natural(name), name)


_FOLDER_FILES = ("up.sql", "down.sql", "migration.sql")  # Diesel and Prisma: one folder per migration


def sql_candidates(root: str, skip_dir: Callable[[str], bool]) -> Iterator[str]:
    """Every .sql file `place_sql` could put in the history at `root` (the caller keeps those it
    does): the folder's own files, the per-migration files of its subfolders, and everything
    under its sqitch folders. Bounded on purpose: a plain history at the project root must not
    walk the whole project. Paths are joined to `root` as given, "." left out (display paths)."""
    for name, is_dir in _entries(root):
        path = _join(root, name)
        if not is_dir:
            if name.lower().endswith(".sql"):
                yield path
        elif skip_dir(name):
            continue
        elif name in SQITCH_DIRS:
            for directory, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not skip_dir(d))
                yield from (_join(directory, f) for f in sorted(filenames) if f.lower().endswith(".sql"))
        else:
            yield from (_join(path, f) for f, sub in _entries(path) if not sub and f.lower() in _FOLDER_FILES)


def revision_candidates(folder: str) -> Iterator[str]:
    """The .py files an Alembic history's folder holds (the caller keeps the revisions)."""
    return (_join(folder, name) for name, is_dir in _entries(folder) if not is_dir and name.endswith(".py"))


def _join(folder: str, name: str) -> str:
    return name if folder == "." else f"{folder}/{name}"


def _entries(folder: str) -> list[tuple[str, bool]]:
    try:
        with os.scandir(folder) as entries:
            return sorted((e.name, e.is_dir()) for e in entries)
    except OSError:
        return []


def _sqitch_plan(root: str) -> list[str]:
    """Change names in plan order (`%` pragmas, `@` tags and comments skipped)."""
    try:
        text = (Path(root) / "sqitch.plan").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    changes = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped[0] in "%@#":
            continue
        changes.append(stripped.split()[0])
    return changes


def alembic_order(revisions: list[tuple[str, str | None, tuple[str, ...]]]) -> list[str]:
    """Paths of (path, revision, down_revisions) with every revision after its parents."""
    by_revision = {rev: path for path, rev, _ in revisions if rev}
    children: dict[str, list[str]] = {}
    waiting: dict[str, int] = {}
    for path, _rev, downs in revisions:
        parents = [by_revision[d] for d in downs if d in by_revision and by_revision[d] != path]
        waiting[path] = len(parents)
        for parent in parents:
            children.setdefault(parent, []).append(path)
    ready = sorted(p for p, n in waiting.items() if n == 0)
    ordered: list[str] = []
    while ready:
        path = ready.pop(0)
        ordered.append(path)
        for child in children.get(path, ()):
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.append(child)
                ready.sort()
    # A cycle (a broken history, reported by the history rules): the rest in file order.
    placed = set(ordered)
    ordered.extend(sorted(p for p in waiting if p not in placed))
    return ordered


def _alembic_history_folders(revisions: list[tuple[str, str | None, tuple[str, ...]]]) -> dict[str, str]:
    """Each revision's history, named by a folder. Revisions of one folder are one history; folders
    whose revisions name each other as down_revision are one history too: OpenStack-style
    `versions/<release>/expand/` trees (recursive version locations) split one history over many
    folders, and replaying each alone would start every folder from an empty schema."""
    folder = {path: str(Path(path).parent) for path, _, _ in revisions}
    parent = {f: f for f in folder.values()}

    def root(f: str) -> str:
        while parent[f] != f:
            parent[f] = parent[parent[f]]
            f = parent[f]
        return f

    by_revision = {rev: path for path, rev, _ in revisions if rev}
    for path, _, downs in revisions:
        for down in downs:
            if down in by_revision:
                a, b = root(folder[path]), root(folder[by_revision[down]])
                if a != b:
                    parent[max(a, b)] = min(a, b)
    return {path: root(f) for path, f in folder.items()}


def histories(
    sql_paths: list[str], revisions: list[tuple[str, str | None, tuple[str, ...]]]
) -> list[list[Unit]]:
    """Every history's migrations in the order they run, each with its down steps."""
    plans: dict[str, list[str]] = {}
    grouped: dict[str, list[tuple[tuple, str, Placed]]] = {}
    for path in sql_paths:
        placed = place_sql(path, plans)
        if placed.replayed:
            grouped.setdefault(placed.history, []).append((placed.sort_key, path, placed))
    result: dict[str, list[Unit]] = {}
    alembic_by_folder: dict[str, list[tuple[str, str | None, tuple[str, ...]]]] = {}
    folder_of = _alembic_history_folders(revisions)
    for revision in revisions:
        alembic_by_folder.setdefault(folder_of[revision[0]], []).append(revision)
    for folder, members in alembic_by_folder.items():
        result[f"alembic:{folder}"] = [Unit(path) for path in alembic_order(members)]
    for history, placements in grouped.items():
        units: dict[str, Unit] = {}
        keys: dict[str, tuple] = {}
        for sort_key, path, placed in sorted(placements, key=lambda m: (m[0], m[2].down, m[1])):
            unit = units.setdefault(placed.unit, Unit(None))
            keys.setdefault(placed.unit, sort_key)
            if placed.down:
                unit.downs.append(path)
            elif unit.up is None:
                unit.up = path
            else:
                units[path] = Unit(path)  # two up files claim one version: keep both, in file order
                keys[path] = sort_key
        result[history] = [units[u] for u in sorted(units, key=lambda u: (keys[u], u))]
    return [result[h] for h in sorted(result)]
