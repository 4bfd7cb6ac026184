"""The pre-commit hook as users get it: only lines a commit adds are judged, the summary counts right."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from .test_cli import TODAY, shop  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parents[2]


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def hook_entry() -> list[str]:
    [hook] = [
        hook
        for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
        if hook["id"] == "releasesafe-stale-flags"
    ]
    command = hook["entry"].split()
    assert command[0] == "releasesafe"
    return [str(Path(sys.executable).with_name("releasesafe")), *command[1:]]


def test_stale_flag_hook_blocks_only_checks_the_commit_adds(shop: Path) -> None:  # noqa: F811
    git(shop, "init", "-q")
    git(shop, "add", ".")
    git(shop, "commit", "-qm", "base")
    checkout = shop / "shopapp" / "checkout.py"
    run = [*hook_entry(), "--today", TODAY, "shopapp/checkout.py"]

    unchanged = subprocess.run(run, cwd=shop, capture_output=True, text=True, timeout=60)
    assert unchanged.returncode == 0, unchanged.stdout + unchanged.stderr
    assert "All clear: no findings; checked 1 file." in unchanged.stdout

    checkout.write_text(
        checkout.read_text()
        + "\n\ndef new_banner(user_key):\n"
        + "    return client_flag(ldclient.get().variation(NEW_CHECKOUT, None, False))\n"
    )
    git(shop, "add", "shopapp/checkout.py")
    added = subprocess.run(run, cwd=shop, capture_output=True, text=True, timeout=60)
    assert added.returncode == 1
    lines = len(checkout.read_text().splitlines())
    reported = [line for line in added.stdout.splitlines() if "RSF0" in line and line.startswith("shopapp")]
    assert reported == [
        f"shopapp/checkout.py:{lines}:24: RSF007 [flag-stale-reference] Flag 'new_checkout_flow' is stale: "
        + reported[0].split("is stale: ", 1)[1]
    ]
    assert "Found 1 finding in 1 file (1 error); checked 1 file." in added.stdout


def test_diff_with_an_unknown_ref_is_a_usage_error(shop: Path) -> None:  # noqa: F811
    git(shop, "init", "-q")
    completed = subprocess.run(
        [*hook_entry()[:-2], "--diff", "nosuchref", "shopapp"], cwd=shop, capture_output=True, text=True
    )
    assert completed.returncode == 2
    assert "--diff nosuchref: not a commit" in completed.stderr
