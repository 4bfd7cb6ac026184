"""A lint-only install: without the extras' modules the static tools work, and everything that needs
an extra names it instead of failing with an import traceback.

The extras' modules are made unimportable for a subprocess (a `sitecustomize` on its path that
refuses them), which is what a `pip install pytest-releasesafe` without extras looks like to our code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
BLOCKED = ("sqlalchemy", "alembic", "psycopg", "pymysql", "pygls", "lsprotocol", "mako")
# pytest runs below also load this environment's other plugins (pytest-lsp needs lsprotocol).
BLOCKED_FOR_PYTEST = ("sqlalchemy", "alembic", "psycopg", "pymysql", "mako")

SITECUSTOMIZE = """
import os
import sys

BLOCKED = set(os.environ["RELEASESAFE_TEST_BLOCKED"].split(","))

class _NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, _NotInstalled())
"""


@pytest.fixture
def light_env(tmp_path: Path) -> dict[str, str]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    return {
        **os.environ,
        "PYTHONPATH": str(site),
        "NO_COLOR": "1",
        "RELEASESAFE_TEST_BLOCKED": ",".join(BLOCKED),
    }


@pytest.fixture
def light_pytest_env(light_env: dict[str, str]) -> dict[str, str]:
    return {**light_env, "RELEASESAFE_TEST_BLOCKED": ",".join(BLOCKED_FOR_PYTEST)}


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_the_block_really_hides_the_extras(light_env: dict[str, str], tmp_path: Path) -> None:
    done = run([sys.executable, "-c", "import sqlalchemy"], light_env, tmp_path)
    assert done.returncode == 1 and "No module named 'sqlalchemy'" in done.stderr


def test_lint_and_flags_work_without_any_extra(light_env: dict[str, str], tmp_path: Path) -> None:
    done = run(
        [str(BIN / "releasesafe"), "lint", str(ROOT / "examples"), "--format", "json", "--no-cache"],
        light_env,
        tmp_path,
    )
    assert done.returncode == 1, done.stderr
    assert any(f["rule"] == "RS101" for f in json.loads(done.stdout))
    flags = run(
        [str(BIN / "releasesafe"), "flags", "scan", str(ROOT / "examples" / "flags_app")], light_env, tmp_path
    )
    assert flags.returncode in (0, 1) and "Traceback" not in flags.stderr
    assert "Found" in flags.stdout + flags.stderr


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (["stats", "--url", "postgresql://u@127.0.0.1:1/db"], "db"),
        # The extra that has everything the command needs, not the first module found missing.
        (["trace", "-c", "alembic.ini"], "verify"),
        (["compat", "--base", "HEAD"], "verify"),
        (["lsp"], "lsp"),
    ],
)
def test_commands_that_need_an_extra_name_it(
    light_env: dict[str, str], tmp_path: Path, args: list[str], extra: str
) -> None:
    done = run([str(BIN / "releasesafe"), *args], light_env, tmp_path)
    assert done.returncode == 2, done.stderr
    assert f"pip install 'pytest-releasesafe[{extra}]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_help_lists_the_commands_whose_extra_is_missing(light_env: dict[str, str], tmp_path: Path) -> None:
    """`releasesafe --help` loads every command to list it: one without its extra must not end it."""
    done = run([str(BIN / "releasesafe"), "--help"], light_env, tmp_path)
    assert done.returncode == 0, done.stderr
    listed = {line.split()[0]: line for line in done.stdout.splitlines() if line.startswith("  ")}
    assert "(not installed: pip install 'pytest-releasesafe[verify]')" in listed["compat"]
    assert "(not installed: pip install 'pytest-releasesafe[verify]')" in listed["trace"]
    assert "not installed" not in listed["lint"]
    assert "Traceback" not in done.stderr
    asked = run([str(BIN / "releasesafe"), "trace", "--help"], light_env, tmp_path)
    said = " ".join(asked.stdout.split())  # as click wraps it
    assert asked.returncode == 0 and "pip install 'pytest-releasesafe[verify]'" in said


def test_plugin_loads_silently_in_a_project_that_does_not_use_it(
    light_pytest_env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "test_plain.py").write_text("def test_plain():\n    assert 1 + 1 == 2\n")
    done = run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "test_plain.py"],
        light_pytest_env,
        tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "releasesafe" not in done.stdout.replace("plugins: ", "").split("collected")[0].replace(
        "releasesafe-", ""
    )


def test_a_database_fixture_without_the_db_extra_says_what_to_install(
    light_pytest_env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "test_db.py").write_text("def test_db(releasesafe_database):\n    pass\n")
    done = run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "test_db.py"], light_pytest_env, tmp_path
    )
    assert done.returncode == 1
    assert "pip install 'pytest-releasesafe[db]'" in done.stdout
    assert "Traceback" not in done.stdout and "server.py" not in done.stdout


def test_verify_items_without_the_verify_extra_say_what_to_install(
    light_pytest_env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\nreleasesafe_alembic_config = alembic.ini\n")
    (tmp_path / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n")
    (tmp_path / "migrations" / "versions").mkdir(parents=True)
    done = run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider"], light_pytest_env, tmp_path)
    assert done.returncode != 0
    assert (
        "pip install 'pytest-releasesafe[verify]'" in done.stdout or "pytest-releasesafe[db]" in done.stdout
    )
    assert "Traceback" not in done.stdout
