"""The compat settings from `[tool.releasesafe]` in a project's pyproject.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from pytest_releasesafe.verify.compat.errors import CompatError

DEFAULT_ALEMBIC_CONFIG = "alembic.ini"
DEFAULT_DATABASE = "postgresql"


@dataclass(frozen=True)
class CompatSettings:
    alembic_config: str = DEFAULT_ALEMBIC_CONFIG
    models: str | None = None
    database: str = DEFAULT_DATABASE


def load_settings(project: Path, fallback: CompatSettings | None = None) -> CompatSettings:
    """Read the settings of the project at `project`; keys it does not set come from `fallback`."""
    base = fallback or CompatSettings()
    path = project / "pyproject.toml"
    if not path.is_file():
        return base
    try:
        with path.open("rb") as handle:
            table = tomllib.load(handle).get("tool", {}).get("releasesafe", {})
    except tomllib.TOMLDecodeError as error:
        raise CompatError(f"{path}: not valid TOML: {error}") from None
    values = {}
    for key in ("alembic_config", "models", "database"):
        value = table.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            raise CompatError(f"{path}: [tool.releasesafe] {key} must be a non-empty string, got {value!r}")
        values[key] = value.strip()
    return CompatSettings(
        alembic_config=values.get("alembic_config", base.alembic_config),
        models=values.get("models", base.models),
        database=values.get("database", base.database),
    )
