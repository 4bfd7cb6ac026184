"""The verify settings: each an ini key and a CLI option (`releasesafe_x` / `--releasesafe-x`).

`releasesafe_alembic_config` itself is declared by the database fixtures (it also feeds
`migrated_database`); setting it explicitly is what turns the migration checks on.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pytest_releasesafe.verify.checks import VerifySettings

ALL_CHECKS = ("history", "upgrade", "stairway", "data", "drift")

_OPTIONS = {
    "releasesafe_models": "models for the drift check, 'package.module:metadata' (default: env.py's)",
    "releasesafe_heads": "expected head revisions, comma-separated (default: exactly one head)",
    "releasesafe_floor": "revision at or below which downgrades are not required",
    "releasesafe_checks": f"migration checks to collect, comma-separated (default {','.join(ALL_CHECKS)})",
    "releasesafe_alembic_section": "section of the Alembic config file to use (default: alembic)",
    "releasesafe_setup": "starting schema run on each verify database before the first revision:"
    " a .sql file, 'package.module:metadata' (create_all) or 'package.module:function(connection)'",
}


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("releasesafe", "release safety")
    for name, help_text in _OPTIONS.items():
        group.addoption(f"--{name.replace('_', '-')}", dest=name, metavar="VALUE", help=help_text)
        parser.addini(name, help_text)


def _value(config: pytest.Config, name: str) -> str:
    return str(config.getoption(name, default=None) or config.getini(name) or "").strip()


def _list(config: pytest.Config, name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in _value(config, name).split(",") if part.strip())


def alembic_config_path(config: pytest.Config) -> Path | None:
    """The explicitly configured alembic.ini: CLI paths are relative to where pytest started,
    ini paths to the ini file."""
    cli = config.getoption("releasesafe_alembic_config", default=None)
    if cli:
        return (config.invocation_params.dir / Path(cli).expanduser()).resolve()
    ini = config.getini("releasesafe_alembic_config")
    if ini:
        base = config.inipath.parent if config.inipath else config.rootpath
        return (base / Path(str(ini)).expanduser()).resolve()
    return None


def enabled_checks(config: pytest.Config) -> tuple[str, ...]:
    chosen = _list(config, "releasesafe_checks")
    if not chosen:
        return ALL_CHECKS
    if chosen == ("none",):
        return ()
    unknown = [name for name in chosen if name not in ALL_CHECKS]
    if unknown:
        raise pytest.UsageError(
            f"releasesafe_checks: unknown check(s) {', '.join(unknown)}; choose from {', '.join(ALL_CHECKS)}"
        )
    return chosen


def verify_settings(config: pytest.Config, alembic_config: Path) -> VerifySettings:
    from pytest_releasesafe.verify.checks import VerifySettings

    return VerifySettings(
        alembic_config=alembic_config,
        alembic_section=_value(config, "releasesafe_alembic_section") or "alembic",
        models=_value(config, "releasesafe_models"),
        heads=_list(config, "releasesafe_heads"),
        floor=_value(config, "releasesafe_floor"),
        setup=_setup(config),
    )


def _setup(config: pytest.Config) -> str:
    """The setup setting, with a .sql path made absolute (CLI: from the current directory; ini:
    from the ini file)."""
    value = _value(config, "releasesafe_setup")
    if not value.lower().endswith(".sql") or Path(value).is_absolute():
        return value
    if config.getoption("releasesafe_setup", default=None):
        base = config.invocation_params.dir
    else:
        base = config.inipath.parent if config.inipath else config.rootpath
    return str((base / Path(value).expanduser()).resolve())
