"""One bad file never costs the report: every failure stays with its file, the report is complete in
every format (`-o FILE` included), and "the tool broke" (exit 2, RS005) is told apart from "findings"
(exit 1), even with `--exit-zero`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pytest_releasesafe.checks import registry
from pytest_releasesafe.cli import main
from pytest_releasesafe.config import Config
from pytest_releasesafe.engine import lint

HEADER = 'from alembic import op\nrevision = "{rev}"\ndown_revision = None\n\ndef upgrade():\n'


def write_hostile_shapes(folder: Path) -> None:
    """The shapes that used to crash the whole run, plus one ordinary file."""
    versions = folder / "versions"
    versions.mkdir(parents=True)
    (versions / "attr.py").write_text(
        HEADER.format(rev="a1") + "    x = " + ".".join(["a"] * 3000) + "\n    op.drop_table('t')\n"
    )
    (versions / "concat.py").write_text(
        HEADER.format(rev="a2") + "    x = " + "+".join(["'a'"] * 1000) + "\n    op.execute(x)\n"
    )
    (versions / "ternary.py").write_text(
        HEADER.format(rev="a3") + "    x = " + "1 if y else " * 10_000 + "2\n"
    )
    (folder / "parens.sql").write_text("SELECT " + "(" * 500 + "1" + ")" * 500 + ";\nDROP TABLE t;\n")
    (folder / "percent.sql").write_text(
        "ALTER TABLE t ADD % CONSTRAINT c FOREIGN KEY (a) REFERENCES u (id);\n"
        "ALTER TABLE t ADD %% CONSTRAINT c;\n"
        "ALTER TABLE t ADD % CONSTRAINT c PRIMARY KEY (a);\n"
        "DROP TABLE x;\n"
    )
    (folder / "good.sql").write_text("DROP TABLE users;\n")


def by_file(findings: list[dict]) -> dict[str, list[tuple[str, int]]]:
    result: dict[str, list[tuple[str, int]]] = {}
    for f in findings:
        result.setdefault(Path(f["path"]).name, []).append((f["rule"], f["line"]))
    return result


def assert_hostile_shapes_reported(findings: list[dict]) -> None:
    files = by_file(findings)
    assert ("RS512", 7) in files["attr.py"]  # read with a deeper stack: the drop after it is judged
    assert ("RS001", 7) in files["concat.py"]  # the 1,000-part string is read, and is not SQL
    ternary = [f for f in findings if f["path"].endswith("ternary.py") and f["rule"] == "RS001"]
    assert ternary and "nested too deeply" in ternary[0]["message"] and ternary[0]["line"] == 6
    assert ("RS512", 2) in files["parens.sql"]
    assert ("RS512", 4) in files["percent.sql"]  # the statements sqlglot trips on cost nothing else
    assert ("RS512", 1) in files["good.sql"]
    assert not any(f["rule"] == "RS005" for f in findings), findings


def test_hostile_shapes_through_the_cli_subprocess_write_a_full_sarif_report(tmp_path: Path) -> None:
    write_hostile_shapes(tmp_path)
    report = tmp_path / "report.sarif"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest_releasesafe",
            "lint",
            "--no-cache",
            "--format",
            "sarif",
            "-o",
            str(report),
        ]
        + [str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr
    results = json.loads(report.read_text())["runs"][0]["results"]
    findings = [
        {
            "path": r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "rule": r["ruleId"],
            "line": r["locations"][0]["physicalLocation"]["region"]["startLine"],
            "message": r["message"]["text"],
        }
        for r in results
    ]
    assert_hostile_shapes_reported(findings)


def test_hostile_shapes_in_process_give_the_same_report(tmp_path: Path) -> None:
    write_hostile_shapes(tmp_path)
    result = CliRunner().invoke(main, ["lint", "--no-cache", "--format", "json", str(tmp_path)])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1, result.output
    assert_hostile_shapes_reported(json.loads(result.stdout))


# --- the linter's own failures: RS005 and exit 2 -------------------------------------------------


@pytest.fixture
def broken_drop_table_check(monkeypatch):
    """The drop-table check raises on files named broken*: a stand-in for a bug in any check."""
    module = registry()["RS512"]
    real = module.check

    def check(migration, ctx):
        if Path(migration.path).name.startswith("broken"):
            raise TypeError("'NoneType' object is not subscriptable")
        return real(migration, ctx)

    monkeypatch.setattr(module, "check", check)


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "github", "gitlab", "markdown"])
def test_a_failing_check_is_rs005_at_that_file_and_exit_2_even_with_exit_zero(
    tmp_path: Path, broken_drop_table_check, fmt: str
) -> None:
    (tmp_path / "broken.sql").write_text("CREATE INDEX ix ON users (email);\nDROP TABLE legacy;\n")
    (tmp_path / "fine.sql").write_text("DROP TABLE old_stuff;\n")
    report = tmp_path / f"report.{fmt}"
    result = CliRunner().invoke(
        main, ["lint", "--no-cache", "--exit-zero", "--format", fmt, "-o", str(report), str(tmp_path)]
    )
    assert result.exit_code == 2, result.output
    assert "internal error on 1 file" in result.stderr
    text = report.read_text()
    assert "RS005" in text and "TypeError" in text and "running the RS512 check" in text
    assert "old_stuff" in text  # the other file's findings are all there
    assert "RS101" in text  # and the broken file's other checks still ran
    assert "Traceback" not in text + result.output


def test_internal_error_cannot_be_deselected_or_suppressed(tmp_path: Path, broken_drop_table_check) -> None:
    (tmp_path / "broken.sql").write_text("-- releasesafe: ignore-file[RS005] hide it\nDROP TABLE legacy;\n")
    config = Config(cache=False, root=tmp_path, select=("RS512",), ignore=("RS005",))
    result = lint([str(tmp_path)], config)
    assert [f.rule for f in result.findings] == ["RS005"] and result.broke


def test_a_failing_front_end_is_rs005_with_the_line_it_was_reading(tmp_path: Path, monkeypatch) -> None:
    from pytest_releasesafe.frontends import alembic

    real = alembic._Walker.call

    def call(self, node, scope):
        if getattr(node.func, "attr", "") == "drop_table":
            raise AttributeError("'Name' object has no attribute 'value'")
        return real(self, node, scope)

    monkeypatch.setattr(alembic._Walker, "call", call)
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "r1.py").write_text(
        HEADER.format(rev="r1") + "    op.add_column('t', x)\n    op.drop_table('t')\n"
    )
    (tmp_path / "other.sql").write_text("DROP TABLE other;\n")
    findings = lint([str(tmp_path)], Config(cache=False, root=tmp_path)).findings
    failure = [f for f in findings if f.rule == "RS005"]
    assert len(failure) == 1 and failure[0].line == 7 and failure[0].path.endswith("r1.py")
    assert "AttributeError: 'Name' object has no attribute 'value'" in failure[0].message
    assert any(f.rule == "RS512" and f.path.endswith("other.sql") for f in findings)


def test_a_file_with_an_internal_error_is_not_cached(tmp_path: Path, broken_drop_table_check) -> None:
    (tmp_path / "broken.sql").write_text("DROP TABLE legacy;\n")
    config = Config(cache=True, root=tmp_path)
    assert lint([str(tmp_path)], config).broke
    second = lint([str(tmp_path)], config)
    assert second.files_cached == 0 and second.broke


# --- forked workers ------------------------------------------------------------------------------


def test_a_worker_killed_by_a_signal_loses_no_other_file_and_reports_its_own(
    tmp_path: Path, monkeypatch
) -> None:
    module = registry()["RS512"]
    real = module.check
    parent = os.getpid()

    def check(migration, ctx):
        if Path(migration.path).name == "poison.sql":
            if os.getpid() != parent:
                os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
            raise MemoryError
        return real(migration, ctx)

    monkeypatch.setattr(module, "check", check)
    monkeypatch.setenv("RELEASESAFE_JOBS", "2")
    # The poison file is the biggest, so it goes to the worker; the others fill both shares.
    (tmp_path / "poison.sql").write_text("DROP TABLE poison;\n" + "SELECT 1;\n" * 12_000)
    for i in range(12):
        (tmp_path / f"f{i:02}.sql").write_text(f"DROP TABLE t{i};\n" + "SELECT 2;\n" * 800)
    findings = lint([str(tmp_path)], Config(cache=False, root=tmp_path)).findings
    dropped = {f.path.rsplit("/", 1)[-1] for f in findings if f.rule == "RS512"}
    assert dropped == {f"f{i:02}.sql" for i in range(12)}
    poison = [f for f in findings if f.path.endswith("poison.sql") and f.rule == "RS005"]
    assert len(poison) == 1 and "died (signal 9)" in poison[0].message


def test_a_memory_error_in_a_worker_stays_with_its_file(tmp_path: Path, monkeypatch) -> None:
    module = registry()["RS512"]
    real = module.check

    def check(migration, ctx):
        if Path(migration.path).name == "hungry.sql":
            raise MemoryError
        return real(migration, ctx)

    monkeypatch.setattr(module, "check", check)
    monkeypatch.setenv("RELEASESAFE_JOBS", "2")
    (tmp_path / "hungry.sql").write_text("DROP TABLE a;\n" + "SELECT 1;\n" * 12_000)
    for i in range(8):
        (tmp_path / f"f{i}.sql").write_text(f"DROP TABLE t{i};\n" + "SELECT 2;\n" * 800)
    findings = lint([str(tmp_path)], Config(cache=False, root=tmp_path)).findings
    assert len([f for f in findings if f.rule == "RS512"]) == 8
    hungry = [f for f in findings if f.rule == "RS005"]
    assert len(hungry) == 1 and hungry[0].path.endswith("hungry.sql") and "MemoryError" in hungry[0].message


def test_a_failing_project_check_is_shown_at_a_judged_file_under_diff(tmp_path: Path, monkeypatch) -> None:
    """With --diff only changed files are reported; the failure must not land on an unchanged one."""

    def check_project(revisions, ctx):
        raise KeyError("down_revision")

    monkeypatch.setattr(registry()["RS803"], "check_project", check_project)
    versions = tmp_path / "versions"
    versions.mkdir()
    header = "from alembic import op\n\nrevision = {rev!r}\ndown_revision = {down!r}\n\n\n"
    body = "def upgrade():\n    op.execute('SELECT 1')\n\n\ndef downgrade():\n    pass\n"
    (versions / "a1_base.py").write_text(header.format(rev="a1", down=None) + body)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "."], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=tmp_path, check=True)
    (versions / "b2_next.py").write_text(header.format(rev="b2", down="a1") + body)
    result = lint([str(versions)], Config(cache=False, root=tmp_path), diff_base="HEAD")
    failures = [f for f in result.findings if f.rule == "RS005"]
    assert [Path(f.path).name for f in failures] == ["b2_next.py"] and result.broke
    assert "running the RS803 project check" in failures[0].message
