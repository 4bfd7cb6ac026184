"""One selector grammar everywhere; a selector naming no rule is an error saying where it was written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import releasesafe

INDEX = "CREATE INDEX ix_users_email ON users (email);\n"
RENAME = "ALTER TABLE users RENAME COLUMN email TO mail;\n"


def _project(tmp_path: Path, settings: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(settings)
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001.sql").write_text(INDEX + RENAME)
    return tmp_path


def _lint(cwd: Path, *args: str) -> tuple[int, list[dict], str]:
    done = releasesafe("lint", "--no-cache", "--format", "json", *args, cwd=cwd)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout) if done.returncode != 2 else [], done.stderr


@pytest.mark.parametrize("selector", ["RS999", "RS10l", "rename-colum", "RSX"])
@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_cli_selector_is_an_error_naming_the_option(
    tmp_path: Path, option: str, selector: str
) -> None:
    code, _, stderr = _lint(_project(tmp_path, ""), option, f"RS101,{selector}", "migrations")
    assert code == 2
    assert f"{option}: unknown rule selector '{selector}'" in stderr


def test_lookalike_typo_suggests_the_intended_code(tmp_path: Path) -> None:
    stderr = _lint(_project(tmp_path, ""), "--select", "RS10l", "migrations")[2]
    assert "did you mean RS101?" in stderr


@pytest.mark.parametrize(
    ("settings", "where"),
    [
        ('[tool.releasesafe]\nselect = ["RS10l"]\n', "[tool.releasesafe] select"),
        ('[tool.releasesafe]\nignore = ["drop-colum"]\n', "[tool.releasesafe] ignore"),
        ('[tool.releasesafe.severity]\nRS999 = "off"\n', "[tool.releasesafe.severity]"),
        (
            '[tool.releasesafe.per-path-ignores]\n"migrations/*" = ["RS5O1"]\n',
            "[tool.releasesafe.per-path-ignores] 'migrations/*'",
        ),
    ],
)
def test_unknown_config_selector_is_an_error_naming_file_and_key(
    tmp_path: Path, settings: str, where: str
) -> None:
    code, _, stderr = _lint(_project(tmp_path, settings), "migrations")
    assert code == 2
    assert f"pyproject.toml: {where}: unknown rule selector" in stderr


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            "[tool.releasesafe]\nfail_onn = 'error'\n",
            "unknown setting [tool.releasesafe] fail_onn (did you mean fail-on?)",
        ),
        ("[tool.releasesafe]\ndialekt = 'mysql'\n", "(did you mean dialect?)"),
        (
            "[tool.releasesafe.rules.RS602]\nalembik = 'off'\n",
            "unknown option 'alembik' (did you mean alembic?)",
        ),
        ("[tool.releasesafe.rules.RS999]\nx = 1\n", "'RS999' is not a rule with options"),
    ],
)
def test_config_key_typo_is_an_error_with_a_suggestion(tmp_path: Path, settings: str, message: str) -> None:
    code, _, stderr = _lint(_project(tmp_path, settings), "migrations")
    assert code == 2 and message in stderr


def test_prefixes_and_names_work_in_severity_and_per_path_ignores(tmp_path: Path) -> None:
    settings = (
        '[tool.releasesafe.severity]\nRS1 = "info"\nRS5 = "error"\nrename-column = "warning"\n'
        '[tool.releasesafe.per-path-ignores]\n"other/*" = ["RS1"]\n'
    )
    code, findings, _ = _lint(_project(tmp_path, settings), "--select", "RS1,RS5", "migrations")
    by_rule = {f["rule"]: f["severity"] for f in findings}
    # A prefix applies to its rules; an exact name is more specific than a prefix.
    assert by_rule == {"RS101": "info", "RS501": "warning"}
    (tmp_path / "pyproject.toml").write_text(
        '[tool.releasesafe.per-path-ignores]\n"migrations/*" = ["RS1", "rename-column"]\n'
    )
    assert _lint(tmp_path, "--select", "RS1,RS5", "migrations")[1] == []


def test_unknown_code_in_suppression_is_a_finding_at_its_line(tmp_path: Path) -> None:
    _project(tmp_path, "")
    (tmp_path / "migrations" / "0001.sql").write_text(
        "-- releasesafe: ignore[RS10l] users has 40 rows\n" + INDEX
    )
    code, findings, _ = _lint(tmp_path, "migrations")
    rules = [(f["rule"], f["line"]) for f in findings]
    assert ("RS006", 1) in rules and ("RS101", 2) in rules
    assert "RS003" not in {r for r, _ in rules}  # one finding for one typo, not two
    rs005 = next(f for f in findings if f["rule"] == "RS006")
    assert "'RS10l'" in rs005["message"] and "RS101" in rs005["message"]


def test_prefix_and_name_in_suppression_suppress(tmp_path: Path) -> None:
    _project(tmp_path, "")
    (tmp_path / "migrations" / "0001.sql").write_text(
        "-- releasesafe: ignore[RS1] users has 40 rows\n"
        + INDEX
        + "-- releasesafe: ignore[rename-column] old code reads neither\n"
        + RENAME
    )
    assert _lint(tmp_path, "--select", "RS1,RS5", "migrations")[1] == []
