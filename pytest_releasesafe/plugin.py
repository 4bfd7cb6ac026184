"""pytest11 entry point.

Each area keeps its own hooks and fixtures in its own module; pytest registers the modules
listed here together with this one (before options are parsed, so their pytest_addoption runs).
"""

pytest_plugins: list[str] = [
    "pytest_releasesafe.db.fixtures",
    "pytest_releasesafe.verify.compat.pytest_plugin",
    "pytest_releasesafe.verify.pytest_items",
    "pytest_releasesafe.verify.trace.pytest_plugin",
]
