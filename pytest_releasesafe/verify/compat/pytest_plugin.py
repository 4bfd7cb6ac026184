"""pytest: `--releasesafe-compat-base REF` (ini releasesafe_compat_base) adds the item releasesafe::compat.

The item fails with the same report as `releasesafe compat --base REF`, and is skipped with the
reason when no database server can be had.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from pytest_releasesafe.settings import plugin_settings

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr

ITEM_ID = "releasesafe::compat"


def _base(config: pytest.Config) -> str | None:
    return plugin_settings(config).compat_base or None


def _database(config: pytest.Config) -> str | None:
    """The database setting shared with the fixtures, when it is set; else None lets
    [tool.releasesafe] database decide."""
    settings = plugin_settings(config)
    return settings.database if settings.database_source != "default" else None


@pytest.hookimpl(tryfirst=True)  # before -k/-m deselection, so they apply to this item too
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    base = _base(config)
    if base:
        items.append(CompatItem.from_parent(session, name=ITEM_ID, nodeid=ITEM_ID, base=base))


class CompatFailure(Exception):
    """The report (or the reason the check could not run) is the whole failure message."""


class CompatItem(pytest.Item):
    def __init__(self, *, base: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base = base
        # Like a test function's: some plugins' runtest hooks read item.funcargs and break without it
        # (pytest-lsp's pytest_runtest_call then never yields).
        self.funcargs: dict[str, Any] = {}

    def runtest(self) -> None:
        from pytest_releasesafe.verify.compat.breaks import first_line
        from pytest_releasesafe.verify.compat.errors import CompatError
        from pytest_releasesafe.verify.compat.report import render_text
        from pytest_releasesafe.verify.compat.service import CompatDatabaseUnavailable, check_compat

        try:
            report = check_compat(self.config.rootpath, self.base, _database(self.config))
        except CompatDatabaseUnavailable as error:
            pytest.skip(f"releasesafe compat: no database server: {error}")
        except CompatError as error:
            raise CompatFailure(f"releasesafe compat could not run: {error}") from None
        except Exception as error:  # noqa: BLE001 - a database or environment failure: the reason, not our stack
            raise CompatFailure(
                f"releasesafe compat could not run: {type(error).__name__}: {first_line(error)}"
            ) from None
        if not report.compatible:
            raise CompatFailure(render_text(report))

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str | TerminalRepr:
        if isinstance(excinfo.value, CompatFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, None, f"{ITEM_ID} (base {self.base})"
