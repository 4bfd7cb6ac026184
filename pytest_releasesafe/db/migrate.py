"""Bring a database to the Alembic head, optionally with migrations taken from another directory.

Relative paths in alembic.ini (script_location, prepend_sys_path) are meant relative to the
directory Alembic is run from, which is where alembic.ini lives; pytest may run from elsewhere,
so they are resolved against the ini file's directory here.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pytest_releasesafe.db.server import Database

if TYPE_CHECKING:
    from alembic.config import Config


class MigrationSetupError(Exception):
    """The Alembic configuration cannot be used; the message names the file."""


@dataclass(frozen=True)
class AlembicSource:
    """Where the schema comes from: an alembic.ini, and optionally migrations from another place."""

    ini: Path
    script_location: Path | None = None

    def describe(self) -> str:
        if self.script_location is None:
            return str(self.ini)
        return f"{self.ini} with migrations from {self.script_location}"


def resolve_script_location(path: Path) -> Path:
    """A migrations directory (with env.py), or an alembic.ini / a directory holding one."""
    if (path / "env.py").is_file():
        return path
    ini = path if path.is_file() else path / "alembic.ini"
    if not ini.is_file():
        raise MigrationSetupError(f"{path}: no env.py or alembic.ini here, so no Alembic migrations to use")
    from alembic.config import Config

    location = Config(str(ini)).get_main_option("script_location")
    if not location:
        raise MigrationSetupError(f"{ini}: no script_location in the [alembic] section")
    resolved = _relative_to(ini.parent, location)
    if not (resolved / "env.py").is_file():
        raise MigrationSetupError(f"{ini}: script_location {location!r} has no env.py ({resolved})")
    return resolved


def upgrade_to_head(database: Database, source: AlembicSource) -> None:
    """Run `alembic upgrade heads` on `database` using the configuration in `source`."""
    from alembic import command
    from alembic.config import Config

    if not source.ini.is_file():
        raise MigrationSetupError(
            f"{source.ini}: Alembic config not found (set releasesafe_alembic_config in the ini file or "
            "--releasesafe-alembic-config)"
        )
    config = Config(str(source.ini))
    # configparser treats % as interpolation; URLs may contain %-escapes.
    config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    location = source.script_location
    if location is None:
        configured = config.get_main_option("script_location")
        if not configured:
            raise MigrationSetupError(f"{source.ini}: no script_location in the [alembic] section")
        location = _relative_to(source.ini.parent, configured)
    config.set_main_option("script_location", str(location).replace("%", "%%"))
    sys_path = config.get_main_option("prepend_sys_path")
    if sys_path:
        parts = [str(_relative_to(source.ini.parent, part)) for part in _split_paths(config, sys_path)]
        config.set_main_option("path_separator", "os")
        config.set_main_option("prepend_sys_path", os.pathsep.join(parts).replace("%", "%%"))
    with _logging_preserved():
        command.upgrade(config, "heads")


_SEPARATORS = {"os": os.pathsep, ":": ":", ";": ";", "space": " ", "newline": "\n"}


def _split_paths(config: Config, value: str) -> list[str]:
    """Split a path list the way Alembic does: by path_separator, else on spaces, commas and colons."""
    separator = _SEPARATORS.get((config.get_main_option("path_separator") or "").strip())
    parts = value.split(separator) if separator else re.split(r"[\s,:]+", value)
    return [part.strip() for part in parts if part.strip()]


def _relative_to(base: Path, value: str) -> Path:
    value = value.strip()
    if ":" in value and not Path(value).is_absolute() and not Path(value).exists():
        # "package:directory" names a package resource; Alembic resolves it itself.
        return Path(value)
    path = Path(value)
    return path if path.is_absolute() else (base / path).resolve()


@contextmanager
def _logging_preserved() -> Iterator[None]:
    """env.py usually calls logging.config.fileConfig, which would silence pytest's log capture."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    disabled = {
        name: logger.disabled
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, logger in logging.root.manager.loggerDict.items():
            if isinstance(logger, logging.Logger):
                logger.disabled = disabled.get(name, False)
