"""`[tool.releasesafe]` in pyproject.toml, merged with command-line overrides."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

DIALECTS = ("postgresql", "mysql", "sqlite")
LEVELS = ("error", "warning", "info", "off")
# Keys owned by other parts of the product (plugin, compat, flags); accepted here, used there.
FOREIGN_KEYS = {
    "alembic_config",
    "models",
    "database",
    "flags",
    "compat",
    "trace",
    "verify",
    "floor",
    "heads",
}


# Options a rule reads from [tool.releasesafe.rules.CODE]; anything else there is a typo.
RULE_OPTIONS: dict[str, frozenset[str]] = {
    "RS401": frozenset({"timezone"}),
    "RS602": frozenset({"sql", "alembic"}),
}


class ConfigError(ValueError):
    """A bad setting: the message names the file and the key."""


class SchemaFileError(ConfigError):
    """The --schema / `schema =` file cannot be read."""


@dataclass(frozen=True)
class Config:
    dialect: str = "postgresql"
    target_version: int = (
        15  # Postgres major version; for MySQL e.g. 80 (8.0), 84 (8.4), 1011 (MariaDB 10.11)
    )
    select: tuple[str, ...] = ()  # empty: every rule that is not opt-in
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)  # code or name -> error|warning|info|off
    per_path_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)  # glob -> codes ("*" = all)
    exclude: tuple[str, ...] = ()  # path globs never linted
    transactional: bool = True  # Alembic runs each migration in a transaction (transaction_per_migration)
    sql_in_transaction: bool = False  # the tool that runs .sql files wraps each file in a transaction
    schema: str | None = None  # a schema dump (pg_dump -s, mysqldump --no-data) the history starts from
    start_after: str | None = None  # revision id: lint only migrations after it (adopting on an old history)
    downgrade: bool = False  # also judge downgrade()
    fail_on: str = "warning"  # lowest severity that makes the exit code 1
    cache: bool = True
    # Judge a file given alone (pre-commit, an editor, `lint one.py`) against the schema its whole
    # history on disk builds before it, reading the other files of that history for their effects.
    whole_history: bool = True
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)  # [tool.releasesafe.rules.RS601]
    stats: Path | None = (
        None  # table sizes from `releasesafe stats` (default: releasesafe-stats.json if present)
    )
    stats_digest: str = ""  # content hash of `stats`: the cache must not outlive a new statistics file
    size_small_rows: int = 10_000  # [tool.releasesafe.size] small-rows: graded info below
    size_large_rows: int = 1_000_000  # large-rows: graded error at or above (warning in between)
    root: Path = field(default_factory=Path.cwd)
    source: str = ""  # the pyproject.toml read, for messages

    def fingerprint(self) -> str:
        """Everything that changes findings, for the content-hash cache."""
        parts = [
            f"{f.name}={getattr(self, f.name)!r}"
            for f in fields(self)
            # whole_history: the findings key already holds a fingerprint of the history before a file
            if f.name not in ("root", "source", "cache", "whole_history")
        ]
        return "|".join(parts)


def find_pyproject(start: Path) -> Path | None:
    start = start.resolve()
    for directory in [start, *start.parents] if start.is_dir() else [start.parent, *start.parent.parents]:
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _tuple(value: Any, key: str, source: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{source}: [tool.releasesafe] {key} must be a list of strings")


def load(start: Path | None = None, pyproject: Path | None = None) -> Config:
    pyproject = pyproject or find_pyproject(start or Path.cwd())
    if pyproject is None:
        return Config(root=(start or Path.cwd()).resolve() if (start or Path.cwd()).is_dir() else Path.cwd())
    source = str(pyproject)
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{source}: invalid TOML: {error}") from error
    section = data.get("tool", {}).get("releasesafe", {})
    return with_stats(from_mapping(section, source=source, root=pyproject.parent), section.get("stats"))


STATS_FILE = "releasesafe-stats.json"


def with_stats(config: Config, setting: Any = None) -> Config:
    """Resolve the statistics file: an explicit path (must exist), false (none), or by default
    `releasesafe-stats.json` next to pyproject.toml when there is one."""
    from pytest_releasesafe.blake2 import blake2b

    if setting is False:
        return replace(config, stats=None, stats_digest="")
    if setting is None or setting is True:
        default = config.root / STATS_FILE
        if not default.is_file():
            return config
        path = default
    elif isinstance(setting, str | Path):
        path = Path(setting) if Path(setting).is_absolute() else config.root / setting
    else:
        raise ConfigError(f"{config.source}: [tool.releasesafe] stats must be a file path or false")
    try:
        digest = blake2b(path.read_bytes(), digest_size=12).hexdigest()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the statistics file: {error.strerror or error}") from None
    return replace(config, stats=path, stats_digest=digest)


def from_mapping(
    section: dict[str, Any], *, source: str = "pyproject.toml", root: Path | None = None
) -> Config:
    values: dict[str, Any] = {"root": root or Path.cwd(), "source": source}
    for key, value in section.items():
        name = key.replace("-", "_")
        if name in FOREIGN_KEYS:
            continue
        if name == "dialect":
            if value not in DIALECTS:
                raise ConfigError(
                    f"{source}: [tool.releasesafe] dialect must be one of {', '.join(DIALECTS)}, not {value!r}"
                )
            values[name] = value
        elif name == "target_version":
            values[name] = parse_version(value, source)
        elif name in ("select", "ignore", "exclude"):
            values[name] = _tuple(value, key, source)
            if name != "exclude":
                _check_selectors(values[name], f"{source}: [tool.releasesafe] {key}")
        elif name == "severity":
            if not isinstance(value, dict) or any(v not in LEVELS for v in value.values()):
                raise ConfigError(
                    f"{source}: [tool.releasesafe.severity] values must be one of {', '.join(LEVELS)}"
                )
            _check_selectors(value, f"{source}: [tool.releasesafe.severity]")
            values[name] = dict(value)
        elif name == "per_path_ignores":
            if not isinstance(value, dict):
                raise ConfigError(
                    f"{source}: [tool.releasesafe.per-path-ignores] must map globs to rule lists"
                )
            values[name] = {
                glob: _tuple(codes, f"per-path-ignores.{glob}", source) for glob, codes in value.items()
            }
            for glob, codes in values[name].items():
                _check_selectors(codes, f"{source}: [tool.releasesafe.per-path-ignores] {glob!r}")
        elif name in ("transactional", "sql_in_transaction", "downgrade", "cache", "whole_history"):
            if not isinstance(value, bool):
                raise ConfigError(f"{source}: [tool.releasesafe] {key} must be true or false")
            values[name] = value
        elif name == "start_after":
            values[name] = str(value)
        elif name == "schema":
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{source}: [tool.releasesafe] schema must be the path of a .sql file")
            values[name] = str((root or Path.cwd()) / value)
        elif name == "fail_on":
            if value not in ("error", "warning", "info"):
                raise ConfigError(f"{source}: [tool.releasesafe] fail-on must be error, warning or info")
            values[name] = value
        elif name == "stats":
            continue  # resolved by with_stats(), which needs the root
        elif name == "size":
            values.update(_size_thresholds(value, source))
        elif name == "rules":
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: [tool.releasesafe.rules] must be a table of rule options")
            values["rule_options"] = _rule_options(value, source)
        else:
            raise ConfigError(f"{source}: unknown setting [tool.releasesafe] {key}{_did_you_mean(name)}")
    return Config(**values)


def _did_you_mean(name: str) -> str:
    import difflib

    internal = ("root", "source", "rule_options", "stats_digest", "size_small_rows", "size_large_rows")
    known = [f.name for f in fields(Config) if f.name not in internal]
    known += ["rules", "size", *FOREIGN_KEYS]
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0].replace('_', '-')}?)" if close else ""


def _check_selectors(selectors: Any, where: str) -> None:
    from pytest_releasesafe.selectors import SelectorError, validate

    try:
        validate(selectors, where)
    except SelectorError as error:
        raise ConfigError(str(error)) from error


def _rule_options(value: dict[str, Any], source: str) -> dict[str, dict[str, Any]]:
    """[tool.releasesafe.rules.RS602] tables: a known code with options that rule reads."""
    options: dict[str, dict[str, Any]] = {}
    for code, opts in value.items():
        where = f"{source}: [tool.releasesafe.rules.{code}]"
        known = RULE_OPTIONS.get(code.upper())
        if known is None:
            takes = ", ".join(sorted(RULE_OPTIONS))
            raise ConfigError(f"{where}: {code!r} is not a rule with options (rules with options: {takes})")
        if not isinstance(opts, dict):
            raise ConfigError(f"{where} must be a table of options")
        for option in opts:
            if option not in known:
                import difflib

                close = difflib.get_close_matches(option, sorted(known), n=1)
                hint = f" (did you mean {close[0]}?)" if close else f" (options: {', '.join(sorted(known))})"
                raise ConfigError(f"{where}: unknown option {option!r}{hint}")
        options[code.upper()] = dict(opts)
    return options


def _size_thresholds(value: Any, source: str) -> dict[str, int]:
    known = {"small-rows": "size_small_rows", "large-rows": "size_large_rows"}
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: [tool.releasesafe.size] must be a table (small-rows, large-rows)")
    thresholds: dict[str, int] = {}
    for key, number in value.items():
        if key.replace("_", "-") not in known:
            raise ConfigError(
                f"{source}: unknown setting [tool.releasesafe.size] {key} (use small-rows, large-rows)"
            )
        if not isinstance(number, int) or isinstance(number, bool) or number < 0:
            raise ConfigError(f"{source}: [tool.releasesafe.size] {key} must be a whole number of rows")
        thresholds[known[key.replace("_", "-")]] = number
    small = thresholds.get("size_small_rows", Config.size_small_rows)
    large = thresholds.get("size_large_rows", Config.size_large_rows)
    if small > large:
        raise ConfigError(
            f"{source}: [tool.releasesafe.size] small-rows ({small}) is above large-rows ({large})"
        )
    return thresholds


def parse_version(value: Any, source: str = "command line") -> int:
    """15 -> 15; "8.0" -> 80; "10.11" -> 1011 (MySQL/MariaDB versions keep their minor)."""
    text = str(value).strip()
    try:
        if "." in text:
            major, minor = text.split(".", 1)
            return int(major) * (100 if len(minor.split(".")[0]) > 1 else 10) + int(minor.split(".")[0])
        return int(text)
    except ValueError as error:
        raise ConfigError(f"{source}: target version {value!r} is not a version number") from error


def with_overrides(config: Config, **overrides: Any) -> Config:
    return replace(config, **{k: v for k, v in overrides.items() if v is not None})
