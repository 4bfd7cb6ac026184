"""Every pytest setting of the plugin, declared once.

Each setting is an ini key (`releasesafe_x`) and a command-line option (`--releasesafe-x`), some
also an environment variable; the option wins over the variable, the variable over the ini file,
the ini file over the default. The table below registers them (one pytest_addoption, in
plugin.py), resolves them into one frozen `PluginSettings` per session (`plugin_settings()`), and
is the source of the settings table in docs/settings.md (`python lint/gen_settings_docs.py`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

ALL_CHECKS = ("history", "upgrade", "stairway", "data", "drift")
DEFAULT_TRACE_ROWS = 1000


@dataclass(frozen=True)
class Setting:
    key: str  # the ini key; the option is --key-with-dashes
    help: str  # one line, for --help and the docs
    area: str  # the docs page that explains it
    default: str = ""
    env: str = ""
    metavar: str = "VALUE"
    is_path: bool = False  # relative to the ini file (ini) or the current directory (option, env)
    is_flag: bool = False  # an option without a value; ini `true` / `false`

    @property
    def option(self) -> str:
        return "--" + self.key.replace("_", "-")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "releasesafe_database",
        "database for the fixtures and checks: postgresql, postgresql:16, mysql, mariadb, sqlite or a URL",
        "databases.md",
        default="postgresql",
        env="RELEASESAFE_DATABASE",
        metavar="SETTING",
    ),
    Setting(
        "releasesafe_alembic_config",
        "the alembic.ini (or a migrations directory with env.py); setting it turns the migration checks on",
        "verify.md",
        default="alembic.ini in the rootdir (for migrated_database)",
        metavar="PATH",
        is_path=True,
    ),
    Setting(
        "releasesafe_schema_from",
        "build migrated_database with the Alembic migrations under PATH (a migrations directory or an"
        " alembic.ini), e.g. another release's",
        "databases.md",
        metavar="PATH",
        is_path=True,
    ),
    Setting(
        "releasesafe_alembic_section",
        "section of the Alembic config file to use",
        "verify.md",
        default="alembic",
    ),
    Setting(
        "releasesafe_models",
        "models for the drift check, 'package.module:metadata'",
        "verify.md",
        default="env.py's target_metadata",
    ),
    Setting(
        "releasesafe_heads",
        "expected head revisions, comma-separated",
        "verify.md",
        default="exactly one head",
    ),
    Setting(
        "releasesafe_floor",
        "revision (or unique prefix) at or below which downgrades are not required",
        "verify.md",
        default="pytest-alembic's minimum_downgrade_revision, if any",
    ),
    Setting(
        "releasesafe_checks",
        "migration checks to collect, comma-separated, or none",
        "verify.md",
        default=",".join(ALL_CHECKS),
    ),
    Setting(
        "releasesafe_setup",
        "starting schema run on each verify database before the first revision: a .sql file,"
        " 'package.module:metadata' (create_all) or 'package.module:function' (called with a connection)",
        "verify.md",
        metavar="SETUP",
    ),
    Setting(
        "releasesafe_trace",
        "trace each Alembic revision's locks on PostgreSQL; adds releasesafe-trace::<revision> items",
        "trace.md",
        default="false",
        is_flag=True,
    ),
    Setting(
        "releasesafe_trace_rows",
        "rows seeded into each existing table before a traced revision",
        "trace.md",
        default=str(DEFAULT_TRACE_ROWS),
        metavar="N",
    ),
    Setting(
        "releasesafe_compat_base",
        "git ref of the release running now: adds releasesafe::compat, which checks that its code"
        " still works on the schema this tree's migrations build",
        "compat.md",
        metavar="REF",
    ),
)

BY_KEY = {setting.key: setting for setting in SETTINGS}


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("releasesafe", "release safety")
    for setting in SETTINGS:
        help_text = setting.help + (f" (default: {setting.default})" if setting.default else "")
        if setting.env:
            help_text += f"; also env {setting.env}"
        if setting.is_flag:
            group.addoption(
                setting.option, dest=setting.key, action="store_true", default=None, help=help_text
            )
            parser.addini(setting.key, setting.help, type="bool", default=False)
        else:
            group.addoption(setting.option, dest=setting.key, metavar=setting.metavar, help=help_text)
            parser.addini(setting.key, setting.help)


@dataclass(frozen=True)
class Value:
    text: str
    source: str  # "--releasesafe-x", "RELEASESAFE_X", "ini releasesafe_x" or "default"
    base: Path  # the directory a relative path in it is relative to


def raw_value(config: pytest.Config, key: str) -> Value:
    """A setting as typed, with where it came from (empty text: not set)."""
    setting = BY_KEY[key]
    here = config.invocation_params.dir
    option = config.getoption(key, default=None)
    if option not in (None, ""):
        return Value("true" if option is True else str(option).strip(), setting.option, here)
    if setting.env and os.environ.get(setting.env, "").strip():
        return Value(os.environ[setting.env].strip(), setting.env, here)
    try:
        ini = config.getini(key)
    except ValueError:  # not registered (the plugin's addoption did not run): the default
        ini = None
    base = config.inipath.parent if config.inipath else config.rootpath
    if setting.is_flag:
        return Value("true" if ini else "", f"ini {key}" if ini else "default", base)
    text = str(ini or "").strip()
    return Value(text, f"ini {key}" if text else "default", base)


def _path(config: pytest.Config, key: str) -> Path | None:
    value = raw_value(config, key)
    if not value.text:
        return None
    path = Path(value.text).expanduser()
    return path if path.is_absolute() else (value.base / path).resolve()


def _list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _checks(text: str) -> tuple[str, ...]:
    chosen = _list(text)
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


def _rows(text: str) -> int:
    text = text or str(DEFAULT_TRACE_ROWS)
    if not text.isdigit():
        raise pytest.UsageError(f"releasesafe_trace_rows: expected a whole number of rows, got {text!r}")
    return int(text)


def _setup(config: pytest.Config) -> str:
    """The setup setting, a .sql path made absolute (module names are left as they are)."""
    value = raw_value(config, "releasesafe_setup")
    if value.text.lower().endswith(".sql"):
        return str(_path(config, "releasesafe_setup"))
    return value.text


@dataclass(frozen=True)
class PluginSettings:
    database: str
    database_source: str
    alembic_config: Path | None  # only when set explicitly (it turns the checks on)
    schema_from: Path | None
    alembic_section: str
    models: str
    heads: tuple[str, ...]
    floor: str
    checks: tuple[str, ...]
    setup: str
    trace: bool
    trace_rows: int
    compat_base: str

    def alembic_config_or_default(self, rootpath: Path) -> Path:
        return self.alembic_config or rootpath / "alembic.ini"


_STASH = pytest.StashKey[PluginSettings]()


def resolve(config: pytest.Config) -> PluginSettings:
    """Read and validate every setting; a bad value is a usage error naming the setting."""
    database = raw_value(config, "releasesafe_database")
    text = {key: raw_value(config, key).text for key in BY_KEY}
    return PluginSettings(
        database=database.text or BY_KEY["releasesafe_database"].default,
        database_source=database.source,
        alembic_config=_path(config, "releasesafe_alembic_config"),
        schema_from=_path(config, "releasesafe_schema_from"),
        alembic_section=text["releasesafe_alembic_section"] or "alembic",
        models=text["releasesafe_models"],
        heads=_list(text["releasesafe_heads"]),
        floor=text["releasesafe_floor"],
        checks=_checks(text["releasesafe_checks"]),
        setup=_setup(config),
        trace=text["releasesafe_trace"].lower() in ("true", "1", "yes", "on"),
        trace_rows=_rows(text["releasesafe_trace_rows"]),
        compat_base=text["releasesafe_compat_base"],
    )


def plugin_settings(config: pytest.Config) -> PluginSettings:
    """The session's settings, resolved once."""
    settings = config.stash.get(_STASH, None)
    if settings is None:
        settings = config.stash[_STASH] = resolve(config)
    return settings


def settings_table() -> str:
    """The Markdown table of every setting (docs/settings.md)."""
    rows = [
        "| ini key | option | environment | default | meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for s in SETTINGS:
        option = f"`{s.option}`" if s.is_flag else f"`{s.option} {s.metavar}`"
        env = f"`{s.env}`" if s.env else ""
        default = f"`{s.default}`" if s.default and " " not in s.default else s.default
        rows.append(f"| `{s.key}` | {option} | {env} | {default} | {s.help} (see [{s.area}]({s.area})) |")
    return "\n".join(rows) + "\n"
