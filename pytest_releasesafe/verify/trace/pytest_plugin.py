"""pytest: `releasesafe_trace = true` (or `--releasesafe-trace`) adds one item per Alembic revision,
`releasesafe-trace::<revision>`, failing like `releasesafe trace` when one of the revision's
statements takes a lock that blocks reads or writes of a table that existed before it.

The whole history is traced once per session (one fresh database, seeded as the CLI does) and each
item judges its own revision. The database comes from the session's server pool
(`releasesafe_database`); when that is not PostgreSQL, a PostgreSQL server is asked for; when none
can be had the items are skipped with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pytest_releasesafe.settings import DEFAULT_TRACE_ROWS, plugin_settings
from pytest_releasesafe.verify.collection import collects_whole_suite

if TYPE_CHECKING:
    from pytest_releasesafe.db.pool import ServerPool
    from pytest_releasesafe.verify.trace.model import TraceResult

COLLECTOR_NAME = "releasesafe-trace"
DEFAULT_ROWS = DEFAULT_TRACE_ROWS


def _enabled(config: pytest.Config) -> bool:
    return plugin_settings(config).trace


def _rows(config: pytest.Config) -> int:
    return plugin_settings(config).trace_rows


def _alembic_config(config: pytest.Config) -> Path:
    """The shared `releasesafe_alembic_config` setting, else alembic.ini in the rootdir."""
    return plugin_settings(config).alembic_config_or_default(config.rootpath)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "releasesafe_trace: a lock-trace item collected from the Alembic history"
    )
    if _enabled(config):
        _rows(config)  # reject a bad setting before collection


class TraceFailed(Exception):
    """The whole message of a failing trace item."""


class TraceItem(pytest.Function):
    location_hint: tuple[Path, int] | None = None

    def reportinfo(self) -> tuple[Any, int | None, str]:
        if self.location_hint is not None:
            path, line = self.location_hint
            return path, line - 1, self.nodeid  # pytest counts lines from 0
        return super().reportinfo()

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, TraceFailed):
            return str(excinfo.value)
        # pytest 9.2 dropped the `style` keyword of Function.repr_failure.
        if style is None:
            return super().repr_failure(excinfo)
        return super().repr_failure(excinfo, style=style)  # type: ignore[call-arg]  # pytest < 9.2


class TraceCollector(pytest.Collector):
    def __init__(self, *, alembic_config: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.alembic_config = alembic_config

    def _item(self, name: str, run: Callable[..., None], where: tuple[Path, int]) -> TraceItem:
        item = TraceItem.from_parent(self, name=name, callobj=run, originalname=name)
        item.location_hint = where
        item.add_marker(pytest.mark.releasesafe_trace)
        return item

    def collect(self) -> list[pytest.Item]:
        from pytest_releasesafe.verify.trace.runner import AlembicProject, TraceSetupError

        try:
            scripts = AlembicProject(self.alembic_config).revisions()
        except TraceSetupError as error:
            message = str(error)

            def cannot_load() -> None:
                raise TraceFailed(message)

            return [self._item("load", cannot_load, (self.alembic_config, 1))]
        items: list[pytest.Item] = []
        for script in scripts:
            path = Path(str(script.path))
            stem = re.sub(r"[^A-Za-z0-9_]+", "_", path.stem)
            label = stem if script.revision in stem else f"{script.revision}_{stem}"
            items.append(self._item(label, _judge(script.revision), (path, 1)))
        return items


def _judge(revision: str) -> Callable[..., None]:
    def run(releasesafe_trace_result: TraceResult | str) -> None:
        if isinstance(releasesafe_trace_result, str):
            raise TraceFailed(releasesafe_trace_result)
        _check_revision(releasesafe_trace_result, revision)

    return run


def _check_revision(result: TraceResult, revision: str) -> None:
    from pytest_releasesafe.verify.trace.report import statement_problem

    failure = result.failure
    if failure is not None and failure.revision == revision:
        where = f"\n  statement: {' '.join(failure.sql.split())}" if failure.sql else ""
        raise TraceFailed(f"revision {revision} failed during the trace: {failure.message}{where}")
    if not any(info.id == revision for info in result.revisions):
        pytest.skip(f"revision {revision} was not traced")
    statements = result.for_revision(revision)
    if not statements and failure is not None:
        pytest.skip(f"not traced: revision {failure.revision} failed before it")
    blocking = [statement for statement in statements if statement.blocks]
    if blocking:
        lines = [
            f"revision {revision}: {len(blocking)} statement(s) lock tables that existed before it "
            f"(traced with {result.rows:,} rows per table):"
        ]
        lines.extend(f"  {statement_problem(statement)}" for statement in blocking)
        raise TraceFailed("\n".join(lines))


@pytest.hookimpl(tryfirst=True)  # before -k/-m deselection and xdist scheduling see the list
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    if not _enabled(config) or not collects_whole_suite(config):
        return
    collector = TraceCollector.from_parent(
        session, name=COLLECTOR_NAME, nodeid=COLLECTOR_NAME, alembic_config=_alembic_config(config)
    )
    report = collector.ihook.pytest_make_collect_report(collector=collector)
    session.ihook.pytest_collectreport(report=report)
    if report.passed:
        items.extend(report.result)


@pytest.fixture(scope="session")
def releasesafe_trace_result(
    request: pytest.FixtureRequest, releasesafe_server_pool: ServerPool
) -> TraceResult | str:
    """The lock trace of the whole Alembic history, taken once per session (or why it could not run)."""
    from pytest_releasesafe.db.errors import DatabaseUnavailable
    from pytest_releasesafe.db.fixtures import database_setting
    from pytest_releasesafe.verify.trace.runner import AlembicProject, TraceSetupError, trace_migrations

    setting = database_setting(request.config)
    try:
        server = releasesafe_server_pool.server(setting)
        if server.dialect != "postgresql":
            server = releasesafe_server_pool.server("postgresql")
    except DatabaseUnavailable as error:
        pytest.skip(f"releasesafe trace needs PostgreSQL: {error.reason}")
    try:
        project = AlembicProject(_alembic_config(request.config))
        with server.create_database(prefix="trace") as database:
            return trace_migrations(project, database.url, rows=_rows(request.config))
    except TraceSetupError as error:
        return f"releasesafe trace could not run: {error}"
