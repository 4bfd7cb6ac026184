"""The real `releasesafe` command: formats, exit codes, options, git --diff, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOWCASE = ROOT / "examples" / "linter_showcase"
SNAPSHOTS = Path(__file__).parent / "snapshots"
REQUIRED_KEYS = {
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "rule",
    "name",
    "severity",
    "message",
    "help",
}


def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest_releasesafe", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def lint_json(*args: str, cwd: Path = ROOT) -> tuple[int, list[dict]]:
    done = run("lint", "--format", "json", "--no-cache", *args, cwd=cwd)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout)


def check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("RELEASESAFE_UPDATE_SNAPSHOTS") or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), (
        f"user-visible output changed; if deliberate, rerun with RELEASESAFE_UPDATE_SNAPSHOTS=1 and commit {path.relative_to(ROOT)}"
    )


def test_showcase_json_snapshot() -> None:
    code, findings = lint_json("examples/linter_showcase")
    assert code == 1
    for finding in findings:
        assert REQUIRED_KEYS <= finding.keys()
        assert finding["severity"] in ("error", "warning", "info")
    assert {f["path"].rsplit("/", 1)[-1] for f in findings} >= {
        "0002_index_email.py",
        "0004_rename_name.py",
        "0005_add_plan.py",
        "002_unsafe.sql",
    }
    check_snapshot("showcase.json", json.dumps(findings, indent=2) + "\n")


def test_showcase_text_snapshot() -> None:
    done = run("lint", "--no-cache", "examples/linter_showcase")
    assert done.returncode == 1
    assert "help:" in done.stdout and "postgresql_concurrently=True" in done.stdout
    check_snapshot("showcase.txt", done.stdout)


def test_safe_files_exit_zero(tmp_path: Path) -> None:
    (tmp_path / "ok.sql").write_text(
        "SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY ix ON users (email);\n"
    )
    done = run("lint", str(tmp_path / "ok.sql"), "--no-cache")
    assert done.returncode == 0, done.stdout
    assert "no findings" in done.stdout


def test_select_ignore_and_fail_on(tmp_path: Path) -> None:
    sql = tmp_path / "m.sql"
    sql.write_text("ALTER TABLE users DROP COLUMN a;\nCREATE INDEX ix ON users (b);\n")
    assert [f["rule"] for f in lint_json(str(sql), "--select", "RS5")[1]] == ["RS511"]
    assert [f["rule"] for f in lint_json(str(sql), "--select", "RS1,RS5", "--ignore", "drop-column")[1]] == [
        "RS101"
    ]
    done = run("lint", str(sql), "--no-cache", "--exit-zero")
    assert done.returncode == 0


def test_dialect_option(tmp_path: Path) -> None:
    sql = tmp_path / "m.sql"
    sql.write_text("CREATE INDEX ix ON users (b);\n")
    assert lint_json(str(sql), "--dialect", "mysql", "--select", "RS101")[1] == [], "RS101 is a Postgres rule"


def test_config_from_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.releasesafe]\nselect = ["RS1", "RS5"]\nignore = ["RS101"]\n[tool.releasesafe.severity]\ndrop-column = "warning"\n'
    )
    (tmp_path / "m.sql").write_text("ALTER TABLE users DROP COLUMN a;\nCREATE INDEX ix ON users (b);\n")
    code, findings = lint_json("m.sql", cwd=tmp_path)
    assert [(f["rule"], f["severity"]) for f in findings] == [("RS511", "warning")]
    assert code == 1, "warnings fail by default"
    (tmp_path / "pyproject.toml").write_text('[tool.releasesafe]\ndialect = "oracle"\n')
    done = run("lint", "m.sql", cwd=tmp_path)
    assert done.returncode == 2 and "pyproject.toml" in done.stderr and "dialect" in done.stderr


def test_per_path_ignores_and_start_after(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    for rev, down in (("a1", None), ("b2", "a1"), ("c3", "b2")):
        (versions / f"{rev}.py").write_text(
            f'from alembic import op\nrevision = "{rev}"\ndown_revision = {down!r}\n\ndef upgrade():\n    op.drop_table("t_{rev}")\n'
        )
    (tmp_path / "pyproject.toml").write_text('[tool.releasesafe]\nstart-after = "b2"\nselect = ["RS512"]\n')
    assert [f["path"][-5:] for f in lint_json("versions", cwd=tmp_path)[1]] == ["c3.py"]
    (tmp_path / "pyproject.toml").write_text(
        '[tool.releasesafe]\nselect = ["RS512"]\n[tool.releasesafe.per-path-ignores]\n"*/c3.py" = ["RS512"]\n'
    )
    assert [f["path"][-5:] for f in lint_json("versions", cwd=tmp_path)[1]] == ["a1.py", "b2.py"]


def test_suppressions(tmp_path: Path) -> None:
    (tmp_path / "m.sql").write_text(
        "-- releasesafe: ignore[RS511] column unused since 2.3\n"
        "ALTER TABLE users DROP COLUMN a;\n"
        "ALTER TABLE users DROP COLUMN b; -- releasesafe: ignore[drop-column]\n"
        "-- releasesafe: ignore[RS101] nothing here to suppress\n"
        "SELECT 1;\n"
    )
    findings = lint_json("m.sql", "--select", "RS0,RS1,RS5", cwd=tmp_path)[1]
    assert [(f["rule"], f["line"]) for f in findings] == [("RS004", 3), ("RS003", 4)]
    (tmp_path / "t.sql").write_text(
        "ALTER TABLE a DROP COLUMN x; -- releasesafe: ignore[RS511] unused since 2.1\nALTER TABLE a DROP COLUMN y;\n"
    )
    trailing = lint_json("t.sql", "--select", "RS0,RS5", cwd=tmp_path)[1]
    assert [(f["rule"], f["line"]) for f in trailing] == [("RS511", 2)], (
        "a trailing suppression never reaches the next line"
    )
    (tmp_path / "f.sql").write_text(
        "-- releasesafe: ignore-file[RS511] dropping dead columns in bulk\nALTER TABLE a DROP COLUMN x;\nALTER TABLE b DROP COLUMN y;\n"
    )
    assert lint_json("f.sql", "--select", "RS0,RS5", cwd=tmp_path)[1] == []


def test_diff_lints_only_changed_migrations(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("config", "user.email", "dev@example.com")
    git("config", "user.name", "dev")
    (tmp_path / "old.sql").write_text("DROP TABLE legacy;\n")
    git("add", ".")
    git("commit", "-qm", "old")
    (tmp_path / "new.sql").write_text("ALTER TABLE users RENAME TO people;\n")
    findings = lint_json(".", "--diff", "HEAD", "--select", "RS5", cwd=tmp_path)[1]
    assert [(f["path"], f["rule"]) for f in findings] == [("new.sql", "RS502")]
    done = run("lint", ".", "--diff", "no-such-ref", cwd=tmp_path)
    assert done.returncode == 2 and "no-such-ref" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("fmt", ["github", "sarif", "gitlab", "markdown", "text"])
def test_every_format_renders(fmt: str) -> None:
    done = run("lint", "--no-cache", "--format", fmt, "examples/linter_showcase")
    assert done.returncode == 1 and done.stdout
    if fmt == "github":
        assert done.stdout.startswith("::error file=examples/linter_showcase/")
        assert all(line.startswith("::") for line in done.stdout.splitlines())
    if fmt == "sarif":
        sarif = json.loads(done.stdout)
        assert sarif["version"] == "2.1.0"
        run_ = sarif["runs"][0]
        rule_ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
        for result in run_["results"]:
            assert rule_ids[result["ruleIndex"]] == result["ruleId"]
            region = result["locations"][0]["physicalLocation"]["region"]
            assert region["startLine"] >= 1 and region["startColumn"] >= 1
    if fmt == "gitlab":
        issues = json.loads(done.stdout)
        assert all(
            {"description", "check_name", "fingerprint", "severity", "location"} <= set(i) for i in issues
        )
    if fmt == "markdown":
        assert done.stdout.startswith("### releasesafe:") and "| `examples/linter_showcase/" in done.stdout


def test_markdown_stays_under_the_comment_limit(tmp_path: Path) -> None:
    (tmp_path / "big.sql").write_text(
        "".join(f"ALTER TABLE table_{i} DROP COLUMN column_{i};\n" for i in range(3000))
    )
    done = run("lint", "--no-cache", "--format", "markdown", str(tmp_path / "big.sql"))
    assert len(done.stdout) < 65_000
    assert "more findings not shown" in done.stdout


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    done = run("lint", "--no-cache", "--format", "sarif", "-o", str(out), "examples/linter_showcase")
    assert done.returncode == 1 and done.stdout == ""
    assert json.loads(out.read_text())["runs"][0]["results"]


def test_rules_and_explain() -> None:
    listing = run("rules")
    assert listing.returncode == 0 and "RS101  create-index-not-concurrently" in listing.stdout
    explained = run("explain", "create-index-not-concurrently")
    assert explained.returncode == 0 and "Why:" in explained.stdout and "CONCURRENTLY" in explained.stdout
    assert run("explain", "RS101").stdout == explained.stdout
    missing = run("explain", "RS999x")
    assert missing.returncode == 2 and "no rule" in missing.stderr


def test_warm_cache_gives_identical_findings(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.releasesafe]\n")
    (tmp_path / "m.sql").write_text("ALTER TABLE users DROP COLUMN a;\n")
    first = run("lint", "--format", "json", "m.sql", cwd=tmp_path)
    assert (tmp_path / ".releasesafe_cache" / "findings.marshal").exists()
    second = run("lint", "--format", "json", "m.sql", cwd=tmp_path)
    assert first.stdout == second.stdout and json.loads(first.stdout)


def test_damaged_or_old_cache_files_are_an_empty_cache(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.releasesafe]\n")
    (tmp_path / "m.sql").write_text("CREATE TABLE t (a int);\nALTER TABLE t DROP COLUMN a;\n")
    expected = run("lint", "--format", "json", "--no-cache", "m.sql", cwd=tmp_path).stdout
    folder = tmp_path / ".releasesafe_cache"
    folder.mkdir()
    (folder / "lint.json").write_text("{}")  # the JSON cache of earlier releases
    for name in ("findings.marshal", "effects.marshal"):
        (folder / name).write_bytes(b"releasesafe-cache 2 python 0.0\n\x00garbage")
    assert run("lint", "--format", "json", "m.sql", cwd=tmp_path).stdout == expected
    assert not (folder / "lint.json").exists()
    truncated = (folder / "findings.marshal").read_bytes()
    (folder / "findings.marshal").write_bytes(truncated[: len(truncated) // 2])
    assert run("lint", "--format", "json", "m.sql", cwd=tmp_path).stdout == expected


def test_a_large_report_reaches_a_pipe_whole_and_a_closed_pipe_is_no_traceback(tmp_path: Path) -> None:
    """`lint` ends without the interpreter's teardown: what it printed must still all arrive."""
    (tmp_path / "pyproject.toml").write_text("[tool.releasesafe]\n")
    for n in range(40):
        (tmp_path / f"m{n:02}.sql").write_text(
            "".join(f"ALTER TABLE t{i} DROP COLUMN c;\n" for i in range(50))
        )
    done = run("lint", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    assert done.returncode == 1 and len(json.loads(done.stdout)) >= 2000, done.stderr
    text = run("lint", "--no-cache", ".", cwd=tmp_path)
    assert text.returncode == 1 and text.stdout.rstrip().splitlines()[-1].startswith("Found "), text.stdout[
        -300:
    ]
    head = subprocess.Popen(
        [sys.executable, "-m", "pytest_releasesafe", "lint", "--no-cache", "."],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert head.stdout is not None and head.stdout.readline()
    head.stdout.close()  # as `releasesafe lint . | head -1` does
    _, errors = head.communicate(timeout=120)
    assert head.returncode in (1, 2) and b"Traceback" not in errors, errors


def test_cache_stamp_follows_rule_files_not_bytecode(tmp_path: Path) -> None:
    """Writing bytecode on the first run must not throw the cache away on the second."""
    from pytest_releasesafe.lint_cache import _catalogue_stamp

    folder = tmp_path / "checks"
    folder.mkdir()
    (folder / "rs101.py").write_text("RULE = 1\n")
    (folder / "RS101.yaml").write_text("code: RS101\n")
    stamp = _catalogue_stamp((str(folder),))
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "rs101.cpython-311.pyc").write_bytes(b"\0")
    assert _catalogue_stamp((str(folder),)) == stamp
    os.utime(folder / "rs101.py", ns=(1, 1))
    edited_check = _catalogue_stamp((str(folder),))
    os.utime(folder / "RS101.yaml", ns=(1, 1))
    assert len({stamp, edited_check, _catalogue_stamp((str(folder),))}) == 3


@pytest.mark.parametrize("no_color", [False, True])
def test_terminal_output_has_code_frames(tmp_path: Path, no_color: bool) -> None:
    import pty

    (tmp_path / "m.sql").write_text("SELECT 1;\nALTER TABLE users DROP COLUMN a;\n")
    primary, secondary = pty.openpty()
    env = (
        {**os.environ, "NO_COLOR": "1"}
        if no_color
        else {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest_releasesafe", "lint", "--no-cache", "--select", "RS511", "m.sql"],
        cwd=tmp_path,
        stdout=secondary,
        stderr=subprocess.PIPE,
        env=env,
        timeout=60,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    shown = b"".join(chunks).decode()
    assert done.returncode == 1
    assert ">    2 | ALTER TABLE users DROP COLUMN a;" in shown, shown
    assert ("\x1b[" in shown) is not no_color
