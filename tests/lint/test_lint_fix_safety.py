"""`releasesafe lint --fix` never costs a file: atomic writes that keep line endings, BOM and mode,
refusals that name the file and let the others be fixed, and no fix our own rules reject.

Everything runs through the real CLI (in-process with click's runner, or as a subprocess where a
process is killed).
"""

from __future__ import annotations

import codecs
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from pytest_releasesafe.cli import main

INDEX = "CREATE INDEX ix_users_email ON users (email);\n"
FIXED_INDEX = "CREATE INDEX CONCURRENTLY ix_users_email ON users (email);\n"


def fix(*paths: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["lint", "--no-cache", "--fix", *map(str, paths)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def project(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "pyproject.toml").write_text("[tool.releasesafe]\n")
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    return migrations


def test_crlf_stays_crlf_through_fix(tmp_path: Path) -> None:
    path = project(tmp_path) / "001.sql"
    path.write_bytes(b"-- indexes\r\nCREATE INDEX ix_users_email ON users (email);\r\nSELECT 1;\r\n")
    _, _, stderr = fix(path)
    assert "fixed 1 statement" in stderr
    assert path.read_bytes() == (
        b"-- indexes\r\nCREATE INDEX CONCURRENTLY ix_users_email ON users (email);\r\nSELECT 1;\r\n"
    )


def test_bom_is_kept_through_fix(tmp_path: Path) -> None:
    path = project(tmp_path) / "001.sql"
    path.write_bytes(codecs.BOM_UTF8 + INDEX.encode())
    fix(path)
    assert path.read_bytes() == codecs.BOM_UTF8 + FIXED_INDEX.encode()


def test_file_mode_is_kept_through_fix(tmp_path: Path) -> None:
    path = project(tmp_path) / "001.sql"
    path.write_text(INDEX)
    path.chmod(0o640)
    fix(path)
    assert path.read_text() == FIXED_INDEX
    assert path.stat().st_mode & 0o777 == 0o640


def test_symlink_out_of_the_project_is_refused_and_the_target_untouched(tmp_path: Path) -> None:
    migrations = project(tmp_path / "app")
    outside = tmp_path / "elsewhere.sql"
    outside.write_text(INDEX)
    (migrations / "001.sql").symlink_to(outside)
    (migrations / "002.sql").write_text(INDEX.replace("users", "orders"))
    _, _, stderr = fix(migrations)
    assert "001.sql: not fixed, symlink leads outside the project" in stderr
    assert outside.read_text() == INDEX
    assert (migrations / "002.sql").read_text() == FIXED_INDEX.replace("users", "orders")
    assert "--fix: wrote 1 file; 1 could not be written" in stderr


def test_file_changed_since_it_was_read_is_not_overwritten(tmp_path: Path, monkeypatch) -> None:
    from pytest_releasesafe.fixes import sql_fix

    path = project(tmp_path) / "001.sql"
    path.write_text(INDEX)
    edited = INDEX + "-- a colleague's edit while --fix was running\n"
    real_fix_sql = sql_fix.fix_sql

    def fix_while_someone_edits(*args, **kwargs):  # the file changes between read and write
        path.write_text(edited)
        return real_fix_sql(*args, **kwargs)

    monkeypatch.setattr(sql_fix, "fix_sql", fix_while_someone_edits)
    _, _, stderr = fix(path)
    assert "001.sql: not fixed, changed on disk since it was read" in stderr
    assert path.read_text() == edited
    assert "--fix: wrote 0 files; 1 could not be written" in stderr


def _make_unwritable(path: Path) -> bool:
    if os.geteuid() != 0:
        path.chmod(0o444)
        return True
    # root writes through permission bits; the immutable attribute stops even root.
    return shutil.which("chattr") is not None and subprocess.run(["chattr", "+i", str(path)]).returncode == 0


def test_unwritable_file_is_an_error_for_that_file_and_the_others_are_fixed(tmp_path: Path) -> None:
    migrations = project(tmp_path)
    locked, other = migrations / "001.sql", migrations / "002.sql"
    locked.write_text(INDEX)
    other.write_text(INDEX.replace("users", "orders"))
    if not _make_unwritable(locked):
        pytest.skip("cannot make a file unwritable here (root without chattr)")
    try:
        code, stdout, stderr = fix(migrations)
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(locked)], check=False)
    assert "001.sql: not fixed" in stderr
    assert locked.read_text() == INDEX
    assert other.read_text() == FIXED_INDEX.replace("users", "orders")
    assert "--fix: wrote 1 file; 1 could not be written" in stderr
    # The unfixed file is still reported by the lint run that follows.
    assert code == 1 and "001.sql:1:1: RS101" in stdout


def test_summary_counts_only_files_written(tmp_path: Path) -> None:
    migrations = project(tmp_path)
    (migrations / "001.sql").write_text(INDEX)
    (migrations / "002.sql").write_text("BEGIN;\n" + INDEX + "COMMIT;\n")  # left alone: inside BEGIN
    (migrations / "003.sql").write_text("SELECT 1;\n")
    _, _, stderr = fix(migrations)
    assert "--fix: wrote 1 file" in stderr and "could not" not in stderr


# --- a kill during the write never truncates -----------------------------------------------------


def test_kill_during_fix_leaves_the_old_or_the_new_file_never_a_truncated_one(tmp_path: Path) -> None:
    migrations = project(tmp_path)
    path = migrations / "001_big.sql"
    filler = "".join(f"INSERT INTO events (id, note) VALUES ({i}, '{'x' * 60}');\n" for i in range(12_000))
    old = (filler + INDEX).encode()
    path.write_bytes(old)
    command = [sys.executable, "-m", "pytest_releasesafe", "lint", "--no-cache", "--select", "RS101", "--fix"]
    command.append(str(path))
    env = {**os.environ, "RELEASESAFE_JOBS": "1"}
    started = time.monotonic()
    subprocess.run(command, capture_output=True, env=env, check=False, timeout=120)
    full = time.monotonic() - started
    new = path.read_bytes()
    assert new == (filler + FIXED_INDEX).encode()
    seen = Counter()
    for attempt in range(8):
        path.write_bytes(old)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        time.sleep(full * (0.35 + 0.09 * attempt))  # from mid-lint to past the write
        process.send_signal(signal.SIGKILL)
        process.wait()
        data = path.read_bytes()
        assert data in (old, new), f"attempt {attempt}: {len(data)} bytes, neither old nor new"
        seen["new" if data == new else "old"] += 1
    leftovers = [p.name for p in migrations.iterdir() if p != path]
    assert all(name.startswith(".001_big.sql.") and name.endswith(".tmp") for name in leftovers), leftovers
    assert seen["old"] + seen["new"] == 8


def test_a_fixer_failure_is_reported_for_that_file_the_others_are_fixed_and_the_run_exits_2(
    tmp_path: Path, monkeypatch
) -> None:
    from pytest_releasesafe.fixes import sql_fix

    migrations = project(tmp_path)
    (migrations / "001.sql").write_text(INDEX)
    (migrations / "002.sql").write_text(INDEX.replace("users", "orders"))
    real_fix_sql = sql_fix.fix_sql

    def fix_sql(text, *args, **kwargs):
        if "users" in text:
            raise IndexError("list index out of range")
        return real_fix_sql(text, *args, **kwargs)

    monkeypatch.setattr(sql_fix, "fix_sql", fix_sql)
    code, _, stderr = fix(migrations)
    assert "001.sql: not fixed, internal error in the fixer (IndexError: list index out of range)" in stderr
    assert (migrations / "001.sql").read_text() == INDEX
    assert (migrations / "002.sql").read_text() == FIXED_INDEX.replace("users", "orders")
    assert code == 2 and "Traceback" not in stderr
