"""The verify checks' view of the plugin settings (declared in pytest_releasesafe.settings).

`releasesafe_alembic_config` also feeds `migrated_database`; setting it explicitly is what turns
the migration checks on.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pytest_releasesafe.settings import ALL_CHECKS, plugin_settings

if TYPE_CHECKING:
    from pytest_releasesafe.verify.checks import VerifySettings

__all__ = ["ALL_CHECKS", "alembic_config_path", "enabled_checks", "verify_settings"]


def alembic_config_path(config: pytest.Config) -> Path | None:
    """The explicitly configured alembic.ini: CLI paths are relative to where pytest started,
    ini paths to the ini file."""
    return plugin_settings(config).alembic_config


def enabled_checks(config: pytest.Config) -> tuple[str, ...]:
    return plugin_settings(config).checks


def verify_settings(config: pytest.Config, alembic_config: Path) -> VerifySettings:
    from pytest_releasesafe.verify.checks import VerifySettings

    settings = plugin_settings(config)
    return VerifySettings(
        alembic_config=alembic_config,
        alembic_section=settings.alembic_section,
        models=settings.models,
        heads=settings.heads,
        floor=settings.floor,
        setup=settings.setup,
    )
