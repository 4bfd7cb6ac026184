"""lint, flags scan and trace share -o/--output, --exit-zero and --fail-on; trace shows progress on a TTY."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import ROOT, releasesafe

POSTGRES_URL = os.environ.get(
    "RELEASESAFE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
TRACE_CONFIG = str(ROOT / "examples" / "trace_project" / "alembic.ini")


@pytest.mark.parametrize("command", [("lint",), ("flags", "scan"), ("trace",)])
def test_reporting_commands_offer_the_same_output_and_exit_options(command: tuple[str, ...]) -> None:
    done = releasesafe(*command, "--help")
    assert done.returncode == 0
    for option in ("-o, --output", "--exit-zero", "--fail-on [error|warning|info]"):
        assert option in done.stdout, f"{' '.join(command)} lacks {option}"


@pytest.fixture
def flags_app(tmp_path: Path) -> Path:
    target = tmp_path / "flags_app"
    shutil.copytree(ROOT / "examples" / "flags_app", target)
    return target


def test_flags_scan_output_file_exit_zero_and_fail_on(flags_app: Path) -> None:
    scan = ("flags", "scan", "--today", "2026-07-01", "--format", "json")
    report = flags_app / "flags.json"
    done = releasesafe(*scan, "-o", str(report), cwd=flags_app)
    assert done.returncode == 1 and done.stdout == ""
    severities = {f["severity"] for f in json.loads(report.read_text())}
    assert "error" in severities
    assert releasesafe(*scan, "--exit-zero", cwd=flags_app).returncode == 0


def test_flags_scan_fail_on_error_passes_a_run_with_only_warnings(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        'import ldclient\n\nif ldclient.get().variation("mystery", None, False):\n    pass\n'
    )
    (tmp_path / "flags.yaml").write_text("flags:\n  mystery_two:\n    created: 2026-06-20\n    rollout: 50\n")
    scan = ("flags", "scan", "--today", "2026-07-01", "--inventory", "flags.yaml", "--format", "json")
    done = releasesafe(*scan, cwd=tmp_path)
    assert done.returncode == 1 and {f["severity"] for f in json.loads(done.stdout)} == {"warning"}
    assert releasesafe(*scan, "--fail-on", "error", cwd=tmp_path).returncode == 0
    assert releasesafe(*scan, "--fail-on", "warning", cwd=tmp_path).returncode == 1


def _trace(*args: str, stderr_tty: bool) -> tuple[int, str, str]:
    command = [
        sys.executable,
        "-m",
        "pytest_releasesafe",
        "trace",
        "-c",
        TRACE_CONFIG,
        "--database",
        POSTGRES_URL,
    ]
    if not stderr_tty:
        done = subprocess.run([*command, *args], capture_output=True, text=True, timeout=180)
        return done.returncode, done.stdout, done.stderr
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen([*command, *args], stdout=subprocess.PIPE, stderr=terminal, text=True)
        os.close(terminal)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal closed: the process exited
                break
            if not chunk:
                break
            chunks.append(chunk)
        stdout = process.stdout.read() if process.stdout else ""
        return process.wait(timeout=180), stdout, b"".join(chunks).decode(errors="replace")
    finally:
        os.close(controller)


@pytest.mark.postgres
def test_trace_shows_progress_on_a_terminal_and_nothing_in_a_pipe() -> None:
    code, stdout, stderr = _trace("--to", "0002", "--format", "json", stderr_tty=True)
    assert code in (0, 1), stderr
    assert "tracing revision 1/2: 0001" in stderr and "traced 2 revisions" in stderr
    json.loads(stdout)  # the report itself is untouched by the progress line
    code, _, piped_stderr = _trace("--to", "0002", "--format", "json", stderr_tty=False)
    assert "tracing revision" not in piped_stderr


@pytest.mark.postgres
def test_trace_exit_zero_and_output_file(tmp_path: Path) -> None:
    report = tmp_path / "trace.json"
    code, stdout, _ = _trace("--format", "json", "-o", str(report), stderr_tty=False)
    assert code == 1 and stdout == "" and json.loads(report.read_text())  # blocking locks in the example
    assert _trace("--format", "json", "--exit-zero", stderr_tty=False)[0] == 0


def test_a_report_file_is_replaced_whole_and_an_unwritable_one_is_a_clear_error(tmp_path: Path) -> None:
    migration = tmp_path / "V1__index.sql"
    migration.write_text("CREATE INDEX ix ON orders (user_id);\n")
    report = tmp_path / "out.sarif"
    report.write_text("previous report")
    done = releasesafe("lint", str(migration), "--format", "sarif", "-o", str(report), cwd=tmp_path)
    assert done.returncode == 1 and json.loads(report.read_text())["runs"]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    missing = tmp_path / "no-such-folder" / "out.sarif"
    done = releasesafe("lint", str(migration), "--format", "sarif", "-o", str(missing), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert f"{missing}: cannot write" in done.stderr and "Traceback" not in done.stderr


def test_a_report_to_a_fifo_or_through_a_symlink_writes_through_it_and_keeps_it(tmp_path: Path) -> None:
    """`-o /dev/null` or a pipe must stay what it is: a rename would replace the node itself."""
    import stat
    import threading

    migration = tmp_path / "V1__index.sql"
    migration.write_text("CREATE INDEX ix ON orders (user_id);\n")
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()
    done = releasesafe("lint", str(migration), "--format", "json", "-o", str(fifo), cwd=tmp_path)
    reader.join(timeout=60)
    assert done.returncode == 1, done.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and json.loads(received[0])[0]["rule"] == "RS101"

    real = tmp_path / "reports" / "lint.json"
    real.parent.mkdir()
    real.write_text("previous report")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    done = releasesafe("lint", str(migration), "--format", "json", "-o", str(link), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert link.is_symlink() and json.loads(real.read_text())[0]["rule"] == "RS101"
