"""A session that runs the migration checks leaves what exists after collection out of the cyclic
garbage collector (gc.freeze) to the end of the process; other sessions, and sessions run inside
another, are left alone, and a later session in the same process undoes an earlier one's freeze."""

from __future__ import annotations

import gc
import sys
import textwrap

import pytest
from verify_helpers import copy_example

# No server answers here: the history item runs, the database items skip at once.
NO_SERVER = "--releasesafe-database=postgresql://nobody@127.0.0.1:1/none"

RECORD_FREEZE_COUNT = """
import gc
from pathlib import Path


def pytest_sessionfinish(session):
    # Not PYTEST_XDIST_WORKER: it is inherited from the outer run when that one has workers.
    process = getattr(session.config, "workerinput", {}).get("workerid", "")
    Path(f"frozen{process}.txt").write_text(str(gc.get_freeze_count()))
"""


def test_a_session_with_the_checks_freezes_what_collection_left(pytester: pytest.Pytester) -> None:
    copy_example(pytester, "clean")
    pytester.makeconftest(RECORD_FREEZE_COUNT)
    result = pytester.runpytest_subprocess(NO_SERVER, "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, skipped=14)
    # The modules, the loaded history and the items: tens of thousands of objects.
    assert int((pytester.path / "frozen.txt").read_text()) > 10_000


RECORD_THRESHOLDS = """
import gc
from pathlib import Path


def pytest_collection_modifyitems(items):
    Path("during_collection.txt").write_text(str(gc.get_threshold()[0]))


def pytest_runtest_call(item):
    Path("during_tests.txt").write_text(str(gc.get_threshold()[0]))
"""


def test_collections_are_fewer_until_collection_ends_and_as_usual_in_the_tests(
    pytester: pytest.Pytester,
) -> None:
    copy_example(pytester, "clean")
    pytester.makeconftest(RECORD_THRESHOLDS)
    result = pytester.runpytest_subprocess(NO_SERVER, "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, skipped=14)
    assert int((pytester.path / "during_collection.txt").read_text()) == 100_000
    assert int((pytester.path / "during_tests.txt").read_text()) == 700  # Python's default


def test_under_xdist_the_workers_and_the_controller_freeze(pytester: pytest.Pytester) -> None:
    copy_example(pytester, "clean")
    pytester.makeconftest(RECORD_FREEZE_COUNT)
    result = pytester.runpytest_subprocess(NO_SERVER, "-p", "no:cacheprovider", "-n", "2")
    result.assert_outcomes(passed=1, skipped=14)
    for process in ("", "gw0", "gw1"):  # the controller (which hands out the checks), each worker
        assert int((pytester.path / f"frozen{process}.txt").read_text()) > 10_000, process


def test_a_session_without_the_checks_freezes_nothing(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(RECORD_FREEZE_COUNT)
    pytester.makepyfile(test_plain="def test_plain():\n    assert True\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert (pytester.path / "frozen.txt").read_text() == "0"


def test_deselecting_the_checks_freezes_nothing(pytester: pytest.Pytester) -> None:
    copy_example(pytester, "clean")
    pytester.makeconftest(RECORD_FREEZE_COUNT)
    result = pytester.runpytest_subprocess(NO_SERVER, "-p", "no:cacheprovider", "-k", "not releasesafe")
    result.assert_outcomes(deselected=15)
    assert (pytester.path / "frozen.txt").read_text() == "0"


def test_a_session_inside_a_running_one_freezes_nothing(pytester: pytest.Pytester) -> None:
    copy_example(pytester, "clean")
    before = gc.get_freeze_count()
    recorder = pytester.inline_run(NO_SERVER, "-p", "no:cacheprovider")
    recorder.assertoutcome(passed=1, skipped=14)
    assert gc.get_freeze_count() == before


def test_a_later_session_in_the_same_process_unfreezes_the_earlier_ones_objects(
    pytester: pytest.Pytester,
) -> None:
    project = copy_example(pytester, "clean")
    plain = pytester.mkdir("plain")
    (plain / "pytest.ini").write_text("[pytest]\n")  # its own project: no migration checks
    (plain / "test_plain.py").write_text("def test_plain():\n    assert True\n")
    script = pytester.makepyfile(
        twice=textwrap.dedent(
            f"""
            import gc
            import pytest

            first = pytest.main([{str(project)!r}, {NO_SERVER!r}, "-q", "-p", "no:cacheprovider"])
            after_first = gc.get_freeze_count()
            second = pytest.main([{str(plain)!r}, "-q", "-p", "no:cacheprovider"])
            print("counts", int(first), after_first, int(second), gc.get_freeze_count())
            """
        )
    )
    result = pytester.run(sys.executable, str(script))
    line = next(line for line in result.outlines if line.startswith("counts "))
    first, after_first, second, after_second = map(int, line.split()[1:])
    assert (first, second) == (0, 0)
    assert after_first > 10_000
    assert after_second == 0
