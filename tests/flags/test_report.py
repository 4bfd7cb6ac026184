"""`releasesafe flags report` on a real git repository: one row per flag with blame, in three formats."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from .conftest import write_project
from .test_cli import run


def git(root: Path, *args: str, when: str | None = None) -> None:
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else {}
    subprocess.run(
        ["git", "-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.com", *args],
        cwd=root,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(root), **env},
    )


INVENTORY = """\
flags:
  new_flow:
    type: release
    owner: payments
    created: 2026-01-10
    rollout: 100
  beta:
    type: experiment
    owner: search
    created: 2026-06-20
    rollout: 30
"""


def make_repo(tmp_path: Path) -> Path:
    root = write_project(
        tmp_path,
        {
            "app/views.py": "from app.flags import is_on\n\n\ndef view():\n    return is_on('new_flow')\n",
            "app/search.py": "from app.flags import is_on\n\n\ndef find():\n    return is_on('beta')\n",
        },
    )
    (root / "flags.yaml").write_text(INVENTORY)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "first", when="2026-02-01T12:00:00+00:00")
    views = root / "app" / "views.py"
    views.write_text(
        views.read_text() + "\n\ndef again():\n    return is_on('new_flow') and is_on('orphan')\n"
    )
    git(root, "commit", "-qam", "second", when="2026-03-05T12:00:00+00:00")
    return root


def test_report_json_has_age_owner_rollout_references_blame_and_command(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    code, out, err = run(
        "report",
        str(root),
        "--inventory",
        str(root / "flags.yaml"),
        "--today",
        "2026-07-01",
        "--format",
        "json",
    )
    assert code == 0, err
    rows = {row["name"]: row for row in json.loads(out)}
    assert list(rows) == ["new_flow", "beta", "orphan"], "stale first, then by name"
    new_flow = rows["new_flow"]
    assert (new_flow["owner"], new_flow["age_days"], new_flow["rollout"]) == ("payments", 172, 100)
    assert [Path(ref).name for ref in new_flow["references"]] == ["views.py:5", "views.py:9"]
    assert new_flow["last_change"]["date"] == "2026-03-05"
    assert new_flow["last_change"]["author"] == "Ada Lovelace"
    assert new_flow["last_change"]["line"] == 9
    assert new_flow["stale"] and new_flow["stale"][0].startswith("flag-fully-rolled-out")
    assert new_flow["remove"].startswith("releasesafe flags remove new_flow --value on --inventory ")
    assert rows["beta"]["last_change"]["date"] == "2026-02-01" and not rows["beta"]["stale"]
    assert rows["orphan"]["in_inventory"] is False and rows["orphan"]["remove"].endswith(
        "remove orphan --value on|off --write"
    )


def test_report_markdown_is_a_table_for_pull_requests(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    code, out, _ = run(
        "report",
        str(root),
        "--inventory",
        str(root / "flags.yaml"),
        "--today",
        "2026-07-01",
        "--format",
        "markdown",
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[2] == "3 flags, 1 stale."
    header = "| Flag | Status | Owner | Age | Rollout | References | Last change | Remove with |"
    assert lines[4] == header
    rows = [line for line in lines if line.startswith("| `")]
    assert len(rows) == 3
    assert all(line.replace("\\|", "").count("|") == header.count("|") for line in rows), "cells stay cells"
    assert rows[0].startswith(
        "| `new_flow` | **stale** | payments | 172 d | 100% | 2 | 2026-03-05 Ada Lovelace"
    )


def test_report_text_and_outside_git(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"app/views.py": "from app.flags import is_on\nis_on('new_flow')\n"})
    code, out, _ = run("report", str(root), "--today", "2026-07-01")
    assert code == 0
    assert "new_flow  [not in inventory]" in out
    assert "  last change: -" in out
    assert out.rstrip().endswith("1 flags, 0 stale.")
