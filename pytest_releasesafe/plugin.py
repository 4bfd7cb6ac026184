"""pytest11 entry point.

Each area keeps its own hooks and fixtures in its own module; pytest registers the modules
listed here together with this one. Every setting of every area is declared in
pytest_releasesafe.settings and registered here, once.
"""

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
