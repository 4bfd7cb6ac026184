"""Run a compat check with a database server from the project's setting: shared by the CLI and pytest."""

from __future__ import annotations

from pathlib import Path

from pytest_releasesafe.verify.compat.errors import CompatError
from pytest_releasesafe.verify.compat.runner import CompatReport, preflight, run_compat
from pytest_releasesafe.verify.compat.settings import load_settings

DATABASE_PREFIX = "releasesafe_compat"


class CompatDatabaseUnavailable(CompatError):
    """No server of the requested kind can be had here (pytest skips; the CLI exits 2)."""


def check_compat(project: Path, base_ref: str, database: str | None = None) -> CompatReport:
    """`database`: a setting such as "postgresql" or a URL; None reads [tool.releasesafe] database."""
    from pytest_releasesafe.db import BadDatabaseSetting, DatabaseUnavailable, ServerStartError, get_server

    settings = load_settings(project.resolve())
    preflight(project.resolve(), base_ref, settings)
    spec = database or settings.database
    try:
        server = get_server(spec)
    except DatabaseUnavailable as error:
        raise CompatDatabaseUnavailable(error.reason) from None
    except (BadDatabaseSetting, ServerStartError) as error:
        raise CompatError(str(error)) from None
    try:
        return run_compat(
            project,
            base_ref,
            create_database=lambda: server.create_database(prefix=DATABASE_PREFIX),
            dialect=server.dialect,
            server=server.label,
        )
    finally:
        server.stop()
