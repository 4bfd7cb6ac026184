"""The hook manifest is valid and the pre-commit set-up README.md documents works as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from cli_helpers import ROOT, git_repo

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
YAML_BLOCK = re.compile(r"```yaml\n(.*?)```", re.S)


def _pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    return subprocess.run(
        [str(PRE_COMMIT), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def _readme_hook_configs() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [block for block in YAML_BLOCK.findall(text) if "releasesafe-lint" in block]


def test_hook_manifest_is_valid(tmp_path: Path) -> None:
    done = _pre_commit("validate-manifest", str(ROOT / ".pre-commit-hooks.yaml"), cwd=ROOT, home=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_readme_never_pins_a_release_tag_that_does_not_exist() -> None:
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        assert not re.search(r"rev:\s*v\d", path.read_text(encoding="utf-8")), path


def test_documented_commit_pinned_config_is_valid(tmp_path: Path) -> None:
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    pinned = next(block for block in _readme_hook_configs() if "rev:" in block)
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(
        pinned.replace("/path/to/pytest-releasesafe", str(ROOT)).replace(
            "0123456789abcdef" * 2 + "01234567", head
        )
    )
    done = _pre_commit("validate-config", str(config), cwd=tmp_path, home=tmp_path / "home")
    assert done.returncode == 0, done.stdout + done.stderr


def test_documented_local_hook_blocks_an_unsafe_migration(tmp_path: Path) -> None:
    local = next(block for block in _readme_hook_configs() if "repo: local" in block)
    git_repo(tmp_path)
    (tmp_path / ".pre-commit-config.yaml").write_text(local)
    (tmp_path / "0001.sql").write_text("ALTER TABLE users RENAME TO people;\n")
    (tmp_path / "notes.md").write_text("not SQL; DROP TABLE x;\n")
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    done = _pre_commit("run", "--all-files", cwd=tmp_path, home=tmp_path / "home")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "0001.sql:1:1: RS502" in done.stdout
    (tmp_path / "0001.sql").write_text("SELECT 1;\n")
    assert _pre_commit("run", "--all-files", cwd=tmp_path, home=tmp_path / "home").returncode == 0
