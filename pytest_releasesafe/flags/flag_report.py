"""`releasesafe flags report`: one row per flag, to read at a glance or post on a pull request.

Per flag: type, owner, age, rollout, whether it is stale (and why), its references in code, when
those lines last changed (git blame), and the exact `remove` command.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .config import FlagsConfig
from .inventory import InventoryFlag
from .scan import ScanResult, collect_references, load_inventories
from .staleness import stale_reasons


@dataclass(frozen=True)
class LastChange:
    date: str  # YYYY-MM-DD of the newest commit touching a reference line
    author: str
    commit: str  # short hash; "uncommitted" for lines not committed yet
    path: str
    line: int


@dataclass
class FlagRow:
    name: str
    type: str | None = None
    owner: str | None = None
    age_days: int | None = None
    rollout: int | None = None
    in_inventory: bool = False
    stale: list[str] = field(default_factory=list)  # why it is stale, one reason each
    references: list[str] = field(default_factory=list)  # path:line
    last_change: LastChange | None = None
    remove: str = ""


def _blame(path: str, lines: Sequence[int]) -> list[tuple[int, str, str, int]]:
    """(committer time, author, commit, line) per line, from one `git blame` of the file."""
    folder = os.path.dirname(os.path.abspath(path))
    ranges = [argument for line in sorted(set(lines)) for argument in ("-L", f"{line},{line}")]
    try:
        completed = subprocess.run(
            ["git", "-C", folder, "blame", "--porcelain", *ranges, "--", os.path.abspath(path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    if completed.returncode != 0:
        return []  # not in a git repository, or not tracked
    found: list[tuple[int, str, str, int]] = []
    details: dict[str, dict[str, str]] = {}
    current: tuple[str, int] | None = None
    for row in completed.stdout.splitlines():
        if row.startswith("\t"):
            if current is not None:
                commit, line = current
                info = details.get(commit, {})
                found.append((int(info.get("committer-time", "0")), info.get("author", ""), commit, line))
            current = None
            continue
        parts = row.split(" ")
        if len(parts) >= 3 and len(parts[0]) == 40 and parts[1].isdigit() and parts[2].isdigit():
            current = (parts[0], int(parts[2]))
            details.setdefault(parts[0], {})
        elif current is not None and " " in row:
            key, value = row.split(" ", 1)
            details[current[0]].setdefault(key, value)
    return found


def _last_change(references: list[tuple[str, int]]) -> LastChange | None:
    by_file: dict[str, list[int]] = {}
    for path, line in references:
        by_file.setdefault(path, []).append(line)
    newest: tuple[int, str, str, int, str] | None = None
    for path, lines in by_file.items():
        for when, author, commit, line in _blame(path, lines):
            uncommitted = set(commit) == {"0"}
            stamp = int(dt.datetime.now().timestamp()) if uncommitted else when
            if newest is None or stamp > newest[0]:
                newest = (stamp, author, "uncommitted" if uncommitted else commit[:10], line, path)
    if newest is None:
        return None
    stamp, author, commit, line, path = newest
    date = dt.datetime.fromtimestamp(stamp, dt.UTC).date().isoformat()
    return LastChange(date, author, commit, path, line)


def _remove_command(name: str, flag: InventoryFlag | None) -> str:
    value = (
        {0: "off", 100: "on"}.get(flag.rollout, "on|off") if flag and flag.rollout is not None else "on|off"
    )
    inventory = f" --inventory {flag.path}" if flag else ""
    return f"releasesafe flags remove {name} --value {value}{inventory} --write"


def build_report(
    paths: Sequence[Path], config: FlagsConfig, inventory_paths: Sequence[Path], today: dt.date
) -> list[FlagRow]:
    result = ScanResult()
    collect_references(paths, config, result)
    inventory = load_inventories(inventory_paths, result) or {}
    references: dict[str, list[tuple[str, int]]] = {}
    for reference in result.references:
        if reference.flag is not None:
            references.setdefault(reference.flag, []).append((reference.path, reference.line))
    rows: list[FlagRow] = []
    for name in sorted(set(inventory) | set(references)):
        flag = inventory.get(name)
        found = references.get(name, [])
        row = FlagRow(name=name, references=[f"{path}:{line}" for path, line in found])
        if flag is not None:
            row.in_inventory = True
            row.type, row.owner, row.rollout = flag.type, flag.owner, flag.rollout
            row.age_days = (today - flag.created).days if flag.created else None
            row.stale = [f"{rule}: {reason}" for rule, reason, _ in stale_reasons(flag, config, today)]
        row.last_change = _last_change(found)
        row.remove = _remove_command(name, flag)
        rows.append(row)
    # Stale flags first: they are what the reader should act on.
    rows.sort(key=lambda row: (not row.stale, row.name))
    return rows


def _rollout(row: FlagRow) -> str:
    return "-" if row.rollout is None else f"{row.rollout}%"


def _changed(row: FlagRow) -> str:
    change = row.last_change
    return "-" if change is None else f"{change.date} {change.author} ({change.commit})"


def render_text(rows: list[FlagRow]) -> str:
    out: list[str] = []
    for row in rows:
        status = "STALE" if row.stale else ("not in inventory" if not row.in_inventory else "live")
        out.append(f"{row.name}  [{status}]")
        out.append(
            f"  type {row.type or '-'}, owner {row.owner or '-'}, age "
            f"{'-' if row.age_days is None else f'{row.age_days} days'}, rollout {_rollout(row)}"
        )
        out.append(
            f"  references: {len(row.references)}"
            + (f" ({', '.join(row.references)})" if row.references else "")
        )
        out.append(f"  last change: {_changed(row)}")
        out.extend(f"  stale: {reason}" for reason in row.stale)
        out.append(f"  remove: {row.remove}")
        out.append("")
    stale = sum(1 for row in rows if row.stale)
    out.append(f"{len(rows)} flags, {stale} stale.")
    return "\n".join(out) + "\n"


def render_markdown(rows: list[FlagRow]) -> str:
    stale = sum(1 for row in rows if row.stale)
    out = [
        "## Feature flags",
        "",
        f"{len(rows)} flags, {stale} stale.",
        "",
        "| Flag | Status | Owner | Age | Rollout | References | Last change | Remove with |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        status = "**stale**" if row.stale else ("not in inventory" if not row.in_inventory else "live")
        age = "-" if row.age_days is None else f"{row.age_days} d"
        command = row.remove.replace("|", "\\|")  # a bare | would end the table cell
        out.append(
            f"| `{row.name}` | {status} | {row.owner or '-'} | {age} | {_rollout(row)} | "
            f"{len(row.references)} | {_changed(row)} | `{command}` |"
        )
    return "\n".join(out) + "\n"


def render_json(rows: list[FlagRow]) -> str:
    return json.dumps([asdict(row) for row in rows], indent=2) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
