"""SQLite fixture directories of a SIGKILLed session are reaped by the next session, like servers'."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from pytest_releasesafe.db import janitor


def test_sqlite_dir_of_a_killed_session_is_reaped_by_the_next_session(pytester: pytest.Pytester) -> None:
    report = pytester.path / "left.json"
    pytester.makepyfile(
        test_killed=f"""
        import json, os, signal

        def test_dies(releasesafe_database):
            directory = releasesafe_database.server.ops.directory
            with open({str(report)!r}, "w") as handle:
                json.dump({{"dir": str(directory)}}, handle)
            os.kill(os.getpid(), signal.SIGKILL)
        """,
        test_next=textwrap.dedent(
            """
            from sqlalchemy import text

            def test_uses_sqlite(releasesafe_database):
                with releasesafe_database.engine().begin() as connection:
                    assert connection.execute(text("SELECT 1")).scalar_one() == 1
            """
        ),
    )
    args = ("-p", "no:cacheprovider", "--releasesafe-database=sqlite")
    killed = pytester.runpytest_subprocess(*args, "test_killed.py")
    assert killed.ret != 0  # killed, not finished
    left = Path(json.loads(report.read_text())["dir"])
    assert left.is_dir(), "the killed session leaves its directory behind"
    assert left.name.startswith(janitor.RUN_DIR_PREFIX)

    pytester.runpytest_subprocess(*args, "test_next.py").assert_outcomes(passed=1)
    assert not left.exists()
    assert not [p for p in janitor._records().glob("sqlite-*.json") if str(left) in p.read_text()]


def test_a_finished_sqlite_session_leaves_no_directory_or_record(pytester: pytest.Pytester) -> None:
    report = pytester.path / "dir.txt"
    pytester.makepyfile(
        test_one=f"""
        def test_records_dir(releasesafe_database):
            open({str(report)!r}, "w").write(str(releasesafe_database.server.ops.directory))
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "--releasesafe-database=sqlite").assert_outcomes(
        passed=1
    )
    directory = report.read_text()
    assert not Path(directory).exists()
    assert not [p for p in janitor._records().glob("sqlite-*.json") if directory in p.read_text()]
