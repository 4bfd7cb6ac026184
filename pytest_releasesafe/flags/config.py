"""`[tool.releasesafe.flags]` in pyproject.toml: homegrown checks, registries, staleness windows."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_STALE_AFTER_DAYS = 14
# Release toggles and experiments are meant to be short-lived; ops and permission flags are not.
DEFAULT_LIFETIMES: dict[str, int | None] = {"release": 40, "experiment": 40, "ops": None, "permission": None}
DEFAULT_EXCLUDES = (".git", ".hg", ".venv", "venv", "node_modules", "__pycache__", ".tox", "build", "dist")


class ConfigError(Exception):
    """Bad configuration; the message names the file."""


@dataclass(frozen=True)
class HelperCheck:
    """A homegrown flag check such as ``myapp.flags:is_feature_enabled``."""

    qualified_name: str  # myapp.flags.is_feature_enabled
    key_position: int = 0
    key_keyword: str | None = None


@dataclass(frozen=True)
class TestToggle:
    """A project's own test helper that turns a flag on or off, such as ``toggle_switch("x", True)``."""

    qualified_name: str
    key_position: int = 0
    key_keyword: str | None = None
    value_position: int = 1
    value_keyword: str | None = None


@dataclass(frozen=True)
class FlagsConfig:
    checks: tuple[HelperCheck, ...] = ()
    registries: tuple[str, ...] = ()  # qualified names of dict registries
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS
    lifetimes: dict[str, int | None] = field(default_factory=lambda: dict(DEFAULT_LIFETIMES))
    inventories: tuple[Path, ...] = ()
    excludes: tuple[str, ...] = DEFAULT_EXCLUDES
    source: Path | None = None  # the pyproject.toml it came from
    test_toggles: tuple[TestToggle, ...] = ()

    def toggle(self, qualified_name: str) -> TestToggle | None:
        return next((item for item in self.test_toggles if item.qualified_name == qualified_name), None)

    def helper(self, qualified_name: str) -> HelperCheck | None:
        return next((check for check in self.checks if check.qualified_name == qualified_name), None)


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above ``start``."""
    start = start.resolve()
    for directory in (start, *start.parents) if start.is_dir() else start.parents:
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def project_root(paths: list[Path]) -> Path:
    """The project the paths belong to: the folder of the nearest pyproject.toml above the first
    path, else that path's folder (or the working directory). Imports such as ``from main import
    features`` resolve from here, and rewrites never follow a symlink out of it."""
    start = paths[0] if paths else Path.cwd()
    found = find_pyproject(start)
    if found is not None:
        return found.parent.resolve()
    start = start.resolve()
    return start if start.is_dir() else start.parent


def load_config(pyproject: Path | None) -> FlagsConfig:
    if pyproject is None:
        return FlagsConfig()
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{pyproject}: cannot read: {error}") from error
    section = data.get("tool", {}).get("releasesafe", {}).get("flags", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{pyproject}: [tool.releasesafe.flags] must be a table")
    return parse_config(section, pyproject)


def _target(value: str, where: str) -> str:
    module, sep, attribute = value.partition(":")
    if not sep or not module or not attribute:
        raise ConfigError(f"{where}: expected 'package.module:name', got {value!r}")
    return f"{module}.{attribute}"


def _key_arg(value: Any, where: str) -> tuple[int, str | None]:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ConfigError(f"{where}: key_arg must be an argument position or a keyword name, got {value!r}")
    return (value, None) if isinstance(value, int) else (0, value)


def parse_config(section: dict[str, Any], source: Path) -> FlagsConfig:
    where = f"{source}: [tool.releasesafe.flags]"
    known = {
        "checks",
        "key_arg",
        "registries",
        "stale_after_days",
        "lifetimes",
        "inventory",
        "exclude",
        "test_toggles",
    }
    unknown = sorted(set(section) - known)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {', '.join(unknown)}; expected {', '.join(sorted(known))}"
        )

    default_position, default_keyword = _key_arg(section.get("key_arg", 0), f"{where} key_arg")
    checks: list[HelperCheck] = []
    for entry in section.get("checks", []):
        if isinstance(entry, str):
            checks.append(HelperCheck(_target(entry, f"{where} checks"), default_position, default_keyword))
        elif isinstance(entry, dict) and isinstance(entry.get("target"), str):
            position, keyword = _key_arg(entry.get("key_arg", 0), f"{where} checks")
            checks.append(HelperCheck(_target(entry["target"], f"{where} checks"), position, keyword))
        else:
            raise ConfigError(f"{where}: each of checks must be 'module:name' or {{target=..., key_arg=...}}")

    toggles: list[TestToggle] = []
    for entry in section.get("test_toggles", []):
        if isinstance(entry, str):
            toggles.append(TestToggle(_target(entry, f"{where} test_toggles")))
        elif isinstance(entry, dict) and isinstance(entry.get("target"), str):
            extra = sorted(set(entry) - {"target", "key_arg", "value_arg"})
            if extra:
                raise ConfigError(
                    f"{where}: unknown key(s) {', '.join(extra)} in test_toggles; expected target, key_arg, value_arg"
                )
            key_position, key_keyword = _key_arg(entry.get("key_arg", 0), f"{where} test_toggles key_arg")
            value_position, value_keyword = _key_arg(
                entry.get("value_arg", 1), f"{where} test_toggles value_arg"
            )
            toggles.append(
                TestToggle(
                    _target(entry["target"], f"{where} test_toggles"),
                    key_position,
                    key_keyword,
                    value_position,
                    value_keyword,
                )
            )
        else:
            raise ConfigError(
                f"{where}: each of test_toggles must be 'module:name' or {{target=..., key_arg=..., value_arg=...}}"
            )

    registries = section.get("registries", [])
    if not isinstance(registries, list) or not all(isinstance(item, str) for item in registries):
        raise ConfigError(f"{where}: registries must be a list of 'module:NAME' strings")

    stale_after_days = section.get("stale_after_days", DEFAULT_STALE_AFTER_DAYS)
    if isinstance(stale_after_days, bool) or not isinstance(stale_after_days, int) or stale_after_days < 0:
        raise ConfigError(f"{where}: stale_after_days must be a whole number of days >= 0")

    lifetimes = dict(DEFAULT_LIFETIMES)
    raw_lifetimes = section.get("lifetimes", {})
    if not isinstance(raw_lifetimes, dict):
        raise ConfigError(f"{where}: lifetimes must be a table like {{release = 40, experiment = 60}}")
    for flag_type, days in raw_lifetimes.items():
        if days is False or days == 0:
            lifetimes[flag_type] = None
        elif isinstance(days, int) and not isinstance(days, bool) and days > 0:
            lifetimes[flag_type] = days
        else:
            raise ConfigError(f"{where}: lifetimes.{flag_type} must be days > 0, or false for never")

    inventory = section.get("inventory", [])
    inventory_list = [inventory] if isinstance(inventory, str) else inventory
    if not isinstance(inventory_list, list) or not all(isinstance(item, str) for item in inventory_list):
        raise ConfigError(f"{where}: inventory must be a path or a list of paths")

    excludes = section.get("exclude", [])
    if not isinstance(excludes, list) or not all(isinstance(item, str) for item in excludes):
        raise ConfigError(f"{where}: exclude must be a list of directory names or glob patterns")

    return FlagsConfig(
        checks=tuple(checks),
        registries=tuple(_target(item, f"{where} registries") for item in registries),
        stale_after_days=stale_after_days,
        lifetimes=lifetimes,
        inventories=tuple(source.parent / item for item in inventory_list),
        excludes=DEFAULT_EXCLUDES + tuple(excludes),
        source=source,
        test_toggles=tuple(toggles),
    )
