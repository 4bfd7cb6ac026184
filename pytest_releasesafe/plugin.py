"""pytest11 entry point.

Each area keeps its own hooks and fixtures in its own module; pytest registers the modules
listed here together with this one. Every setting of every area is declared in
pytest_releasesafe.settings and registered here, once.
"""

from collections.abc import Generator

import pytest

from pytest_releasesafe.settings import add_options

pytest_plugins: list[str] = [
    "pytest_releasesafe.db.fixtures",
    "pytest_releasesafe.verify.compat.pytest_plugin",
    "pytest_releasesafe.verify.pytest_items",
    "pytest_releasesafe.verify.trace.pytest_plugin",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def _from_us(excinfo: pytest.ExceptionInfo[BaseException]) -> bool:
    # Only our own imports get the hint: a test that imports SQLAlchemy itself is the user's business.
    return any("pytest_releasesafe" in str(entry.path) for entry in excinfo.traceback)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A fixture or verify item that needs a missing extra says which one, without a traceback."""
    from pytest_releasesafe.extras import missing_extra

    report = yield
    if call.excinfo is not None and report.failed and _from_us(call.excinfo):
        hint = missing_extra(call.excinfo.value)
        if hint is not None:
            report.longrepr = f"releasesafe: {item.nodeid}: {hint}"
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    """Collecting verify items without the [verify] extra: the hint, not an import traceback."""
    from pytest_releasesafe.extras import missing_extra

    report = yield
    # A collect report keeps only the rendered error: the missing module is read from its text.
    if report.failed and report.longrepr is not None:
        text = str(report.longrepr)
        if "pytest_releasesafe" in text and "ModuleNotFoundError" in text:
            module = text.split("No module named '", 1)[-1].split("'", 1)[0]
            hint = missing_extra(ModuleNotFoundError(name=module))
            if hint is not None:
                report.longrepr = (
                    f"releasesafe: collecting {collector.nodeid or 'the migration checks'}: {hint}"
                )
    return report
