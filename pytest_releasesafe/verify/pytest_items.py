"""pytest hooks and fixtures of the migration checks.

With `releasesafe_alembic_config` set, the session gains items under `releasesafe::`:
`history`, `upgrade`, `stairway[<revision>]` and `data[<revision>]` per revision in history
order, and `drift`. They are ordinary test functions using the session's database server fixture,
so -k, -x, xdist and the database settings work on them as on any test.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pytest_releasesafe.verify import gc_freeze
from pytest_releasesafe.verify.collection import collects_whole_suite
from pytest_releasesafe.verify.settings import (
    alembic_config_path,
    enabled_checks,
    verify_settings,
)

if TYPE_CHECKING:
    from pytest_releasesafe.db.server import Database, Server
    from pytest_releasesafe.verify.checks import Verifier
    from pytest_releasesafe.verify.migrator import MigrationScripts
    from pytest_releasesafe.verify.migrator_fixture import MigratorFixture

COLLECTOR_NAME = "releasesafe"
DATABASE_PREFIX = "releasesafe_verify"
# The history loaded at collection, reused by the checks (the script directory is read once).
_SCRIPTS: pytest.StashKey[MigrationScripts] = pytest.StashKey()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "releasesafe_verify: a migration check collected from the Alembic history"
    )
    enabled_checks(config)  # reject a bad releasesafe_checks before collection
    gc_freeze.session_started(config, alembic_config_path(config) is not None)


class VerifyItem(pytest.Function):
    """A migration check: reported by its own message (no traceback into the plugin)."""

    location_hint: tuple[Path, int] | None = None
    # For the per-revision checks: which check, of which revision.
    check: str = ""
    revision_id: str = ""

    def reportinfo(self) -> tuple[Any, int | None, str]:
        if self.location_hint is not None:
            path, line = self.location_hint
            return path, line, self.nodeid
        return super().reportinfo()

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        from pytest_releasesafe.verify.checks import CheckFailed
        from pytest_releasesafe.verify.migrator import VerifyError

        if isinstance(excinfo.value, (CheckFailed, VerifyError)):
            return str(excinfo.value)
        # pytest 9.2 dropped the `style` keyword of Function.repr_failure.
        if style is None:
            return super().repr_failure(excinfo)
        return super().repr_failure(excinfo, style=style)  # type: ignore[call-arg]  # pytest < 9.2


def _split_params(item: pytest.Item) -> None:
    """pytest 9.2 keeps a structured node id in which "[...]" is the parameter part; an item
    named "stairway[3f2a_add]" without a callspec would get it as part of the name, and ids read
    back from the cache (--lf, --sw) would never match it. Re-parse the id from its own text."""
    node_id = getattr(item, "_id", None)
    parse = getattr(type(node_id), "parse", None)
    if node_id is not None and callable(parse) and "[" in str(node_id):
        item._id = parse(str(node_id))


class VerifyCollector(pytest.Collector):
    """Turns the Alembic history into items; the revision graph is loaded once, here."""

    def __init__(self, *, alembic_config: Path, checks: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.alembic_config = alembic_config
        self.checks = checks

    def _item(self, name: str, run: Callable[..., None], where: tuple[Path, int] | None = None) -> VerifyItem:
        item = VerifyItem.from_parent(self, name=name, callobj=run)
        _split_params(item)
        item.location_hint = where
        item.add_marker(pytest.mark.releasesafe_verify)
        return item

    def collect(self) -> list[pytest.Item]:
        from pytest_releasesafe.verify.migrator import MigrationScripts, VerifyError

        items: list[pytest.Item] = []
        config_file = (self.alembic_config, 0)  # 0-based: the first line
        if not self.alembic_config.is_file() and not (self.alembic_config / "env.py").is_file():
            message = f"{self.alembic_config}: Alembic config file not found (releasesafe_alembic_config)"

            def _no_config() -> None:  # no database needed to say so
                raise VerifyError(message)

            return [self._item("load", _no_config, config_file)]
        if "history" in self.checks:
            items.append(self._item("history", _run_history, config_file))
        try:
            section = verify_settings(self.config, self.alembic_config).alembic_section
            scripts = MigrationScripts(self.alembic_config, section)
            revisions = scripts.revisions
            self.config.stash[_SCRIPTS] = scripts
        except VerifyError as error:
            message = str(error)

            def _cannot_load() -> None:
                raise VerifyError(message)

            items.append(self._item("load", _cannot_load, config_file))
            return items
        if "upgrade" in self.checks:
            items.append(self._item("upgrade", _run_upgrade, config_file))
        # Revision by revision, each revision's stairway next to its data check: a chunk of items
        # xdist hands one worker then holds both checks of its revisions, which share one pass.
        for revision in revisions:
            for check in ("stairway", "data"):
                if check in self.checks:
                    run = _per_revision(check, revision.id)
                    item = self._item(f"{check}[{revision.label}]", run, (revision.path, 0))
                    item.check, item.revision_id = check, revision.id
                    items.append(item)
        if "drift" in self.checks:
            items.append(self._item("drift", _run_drift, config_file))
        return items


def _run_history(request: pytest.FixtureRequest) -> None:
    """Static: reads the revision files, needs no database."""
    from pytest_releasesafe.verify.checks import check_history

    config = request.config
    alembic_config = alembic_config_path(config) or config.rootpath / "alembic.ini"
    _outcome(check_history, verify_settings(config, alembic_config))


def _run_upgrade(request: pytest.FixtureRequest, releasesafe_verifier: Verifier) -> None:
    _read_pytest_alembic_config(request, releasesafe_verifier)
    _outcome(releasesafe_verifier.check_upgrade)


def _run_drift(releasesafe_verifier: Verifier) -> None:
    _outcome(releasesafe_verifier.check_drift)


def _per_revision(check: str, revision_id: str) -> Callable[..., None]:
    def run(request: pytest.FixtureRequest, releasesafe_verifier: Verifier) -> None:
        _read_pytest_alembic_config(request, releasesafe_verifier)
        revision = releasesafe_verifier.scripts.get(revision_id)
        _outcome(getattr(releasesafe_verifier, f"check_{check}"), revision)

    return run


_PYTEST_ALEMBIC_READ = pytest.StashKey[bool]()


def _read_pytest_alembic_config(request: pytest.FixtureRequest, verifier: Verifier) -> None:
    """Once per session: the project's `alembic_config` fixture (pytest-alembic's), if it has one,
    for its revision data, minimum_downgrade_revision and skip_revisions."""
    from pytest_releasesafe.verify.migrator import VerifyError
    from pytest_releasesafe.verify.pytest_alembic_config import read_config

    if request.config.stash.get(_PYTEST_ALEMBIC_READ, False):
        return
    request.config.stash[_PYTEST_ALEMBIC_READ] = True
    try:
        raw = request.getfixturevalue("alembic_config")
    except pytest.FixtureLookupError:
        return
    try:
        verifier.revision_data = read_config(raw)
    except VerifyError as error:
        pytest.fail(str(error), pytrace=False)


def _outcome(check: Callable[..., list[str] | None], *args: Any) -> None:
    """Run a check; a skip becomes a pytest skip, anything unexpected a plain failure message."""
    from pytest_releasesafe.verify.checks import CheckFailed, CheckSkipped
    from pytest_releasesafe.verify.migrator import VerifyError

    try:
        notes = check(*args)
    except CheckSkipped as skipped:
        # Reported at the item (the revision file), not at this line.
        raise pytest.skip.Exception(str(skipped), _use_item_location=True) from None
    except (CheckFailed, VerifyError):
        raise
    except Exception as error:  # noqa: BLE001 - a database error mid-check: report it, no traceback
        raise VerifyError(f"{type(error).__name__}: {error}") from error
    for note in notes or ():
        # Passed, but with less coverage than it looks: say so in pytest's warnings summary.
        warnings.warn(ReleasesafeVerifyWarning(f"checked without rows: {note}"), stacklevel=1)


class ReleasesafeVerifyWarning(UserWarning):
    """A migration check passed but could not cover everything (e.g. a table left unseeded)."""


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    # tryfirst: our items must exist before -k/-m deselection and xdist scheduling look at the list.
    alembic_config = alembic_config_path(config)
    checks = enabled_checks(config)
    if alembic_config is None or not checks or not collects_whole_suite(config):
        return
    collector = VerifyCollector.from_parent(
        session, name=COLLECTOR_NAME, nodeid=COLLECTOR_NAME, alembic_config=alembic_config, checks=checks
    )
    report = collector.ihook.pytest_make_collect_report(collector=collector)
    session.ihook.pytest_collectreport(report=report)
    if report.passed:
        items.extend(report.result)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    # Only where the checks run: a session of other tests is left as pytest runs it.
    if any(isinstance(item, VerifyItem) for item in session.items):
        gc_freeze.freeze_after_collection()
    else:
        gc_freeze.collection_ended()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With xdist's default (load) scheduling and the migration checks on: one contiguous stretch
    of the history per worker (see xdist_scheduling)."""
    if config.getoption("dist", "no") != "load" or alembic_config_path(config) is None:
        return None
    from pytest_releasesafe.verify.xdist_scheduling import ClimbingScheduling

    return ClimbingScheduling(config, log)


@pytest.fixture(scope="session")
def releasesafe_verifier(request: pytest.FixtureRequest, releasesafe_server: Server) -> Iterator[Verifier]:
    """The migration checks' shared state: the loaded history and databases that climb it."""
    from pytest_releasesafe.verify.checks import Verifier

    alembic_config = alembic_config_path(request.config) or request.config.rootpath / "alembic.ini"
    verifier = Verifier(
        verify_settings(request.config, alembic_config),
        # A clone where a template is given: the lanes' standbys (see verify.standby).
        lambda template: releasesafe_server.create_database(template, prefix=DATABASE_PREFIX),
    )
    scripts = request.config.stash.get(_SCRIPTS, None)
    if scripts is not None and scripts.config_path == alembic_config:
        verifier.use_scripts(scripts)
    # The data checks this session runs (after -k, --lf, --deselect): the stairway of the same
    # revision answers them in its own pass. Under xdist another worker may run one; it then
    # runs on its own, and the answer kept here goes unused.
    verifier.fold_data = frozenset(
        item.revision_id
        for item in request.session.items
        if isinstance(item, VerifyItem) and item.check == "data"
    )
    verifier.revision_checks = any(
        isinstance(item, VerifyItem) and item.check in ("stairway", "data") for item in request.session.items
    )
    try:
        yield verifier
    finally:
        verifier.close()


@pytest.fixture
def releasesafe_migrator(
    request: pytest.FixtureRequest, releasesafe_database: Database
) -> Iterator[MigratorFixture]:
    """A fresh database and the project's Alembic history, for hand-written data-migration tests:
    `upgrade(rev)`, `downgrade(rev)`, `insert(table, rows)`, `rows(table)`, `schema()`."""
    from pytest_releasesafe.verify.migrator import MigrationScripts, VerifyError
    from pytest_releasesafe.verify.migrator_fixture import MigratorFixture

    alembic_config = alembic_config_path(request.config) or request.config.rootpath / "alembic.ini"
    settings = verify_settings(request.config, alembic_config)
    try:
        scripts = MigrationScripts(settings.alembic_config, settings.alembic_section)
        migrator = MigratorFixture(scripts, releasesafe_database.engine())
    except VerifyError as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield migrator
    finally:
        migrator.close()
