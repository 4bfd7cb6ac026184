"""The rule catalogue: rules/*.yaml, shipped as the package `pytest_releasesafe.rules`.

A YAML file holds a rule's facts (code, name, severity, dialects, why, the safe alternative as a
template filled with the user's names, references, bad/good examples); the check module in
`checks/` holds only logic. Docs pages, `releasesafe explain` and the example tests all come from here.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pytest_releasesafe import __version__
from pytest_releasesafe.user_cache import cache_dir

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Example:
    form: str  # "alembic" | "sql"
    code: str
    bad: bool
    findings: int = 1  # how many findings of this rule a bad example yields
    dialect: str = "postgresql"
    target_version: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    severity: str
    message: str
    why: str
    help: str
    help_alembic: str = ""
    help_sql: str = ""
    dialects: tuple[str, ...] = ("postgresql", "mysql", "sqlite")
    min_version: int | None = None  # Postgres versions the rule applies to (inclusive)
    max_version: int | None = None
    category: str = ""
    references: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    fixable: bool = False
    opt_in: bool = False  # style rules: off unless selected
    engine: bool = False  # produced by the engine itself (syntax errors, suppressions), not a check module
    dialect_overrides: dict[str, dict[str, str]] = field(default_factory=dict)
    file: str = ""

    def text(self, key: str, dialect: str) -> str:
        """A template field, with the dialect's own wording where the YAML gives one."""
        override = self.dialect_overrides.get(dialect, {})
        return override.get(key) or getattr(self, key)

    def render(self, key: str, values: dict[str, Any], dialect: str = "postgresql", source: str = "") -> str:
        template = ""
        if key == "help" and source:
            template = self.text(f"help_{source}", dialect)
        template = template or self.text(key, dialect)
        return fill(template, values).strip()


class _Placeholders(dict):
    def __missing__(self, key: str) -> str:
        return f"<{key}>"


def fill(template: str, values: dict[str, Any]) -> str:
    """Fill `{name}` fields with the user's names; unknown ones stay visible as `<name>`."""
    known = _Placeholders({k: v for k, v in values.items() if v not in (None, "", ())})
    return template.format_map(known)


class CatalogueError(ValueError):
    pass


def _examples(raw: dict[str, Any], file: str) -> tuple[Example, ...]:
    examples: list[Example] = []
    for verdict in ("bad", "good"):
        for entry in raw.get(verdict) or []:
            forms = [f for f in ("alembic", "sql") if f in entry]
            if len(forms) != 1:
                raise CatalogueError(f"{file}: each example needs exactly one of 'alembic' or 'sql'")
            examples.append(
                Example(
                    form=forms[0],
                    code=entry[forms[0]],
                    bad=verdict == "bad",
                    findings=int(entry.get("findings", 1 if verdict == "bad" else 0)),
                    dialect=entry.get("dialect", "postgresql"),
                    target_version=entry.get("target_version"),
                    note=entry.get("note", ""),
                )
            )
    return tuple(examples)


def parse_rule(data: dict[str, Any], file: str) -> Rule:
    required = ("code", "name", "summary", "severity", "message", "why", "help")
    missing = [key for key in required if not data.get(key)]
    if missing:
        raise CatalogueError(f"{file}: missing {', '.join(missing)}")
    if data["severity"] not in SEVERITIES:
        raise CatalogueError(f"{file}: severity must be one of {', '.join(SEVERITIES)}")
    return Rule(
        code=data["code"],
        name=data["name"],
        summary=data["summary"].strip(),
        severity=data["severity"],
        message=data["message"],
        why=data["why"],
        help=data["help"],
        help_alembic=data.get("help_alembic", ""),
        help_sql=data.get("help_sql", ""),
        dialects=tuple(data.get("dialects") or ("postgresql", "mysql", "sqlite")),
        min_version=data.get("min_version"),
        max_version=data.get("max_version"),
        category=data.get("category", ""),
        references=tuple(data.get("references") or ()),
        examples=_examples(data.get("examples") or {}, file),
        fixable=bool(data.get("fixable", False)),
        opt_in=bool(data.get("opt_in", False)),
        engine=bool(data.get("engine", False)),
        dialect_overrides=data.get("dialect_overrides") or {},
        file=file,
    )


@lru_cache(maxsize=1)
def load() -> dict[str, Rule]:
    """All rules by code (parsed YAML is kept in the user cache: it is most of a small run's start-up)."""
    entries = sorted((p for p in _rules_folder().iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)
    cache_file = _cache_file(entries)
    if cache_file is not None:
        try:
            with open(cache_file, "rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.PickleError, EOFError, AttributeError, TypeError):
            pass
    rules = _parse_all(entries)
    if cache_file is not None:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            temporary = cache_file.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL))
            temporary.replace(cache_file)
        except OSError:
            pass  # no writable cache: parse every time
    return rules


def _rules_folder() -> Any:
    installed = Path(__file__).resolve().parent / "rules"
    if installed.is_dir():  # a wheel install: importlib.resources (and zipfile) cost ~10 ms to import
        return installed
    from importlib import resources  # an editable install maps the top-level rules/ folder

    return resources.files("pytest_releasesafe.rules")


def _cache_file(entries: list[Any]) -> Path | None:
    """A cache file named by the catalogue's content stamp (file names, sizes, mtimes), or None."""
    try:
        stamp = "|".join(f"{p.name}:{os.stat(str(p)).st_mtime_ns}:{os.stat(str(p)).st_size}" for p in entries)
    except (OSError, TypeError):
        return None  # rules inside a zip: no stable paths to stamp
    digest = hashlib.blake2b(f"{__version__}|{stamp}".encode(), digest_size=12).hexdigest()
    try:
        return cache_dir("catalogue") / f"{digest}.pickle"
    except OSError:
        return None  # no writable home: parse every time


def _parse_all(entries: list[Any]) -> dict[str, Rule]:
    import yaml

    try:  # the C loader parses the catalogue several times faster
        loader = yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - depends on how PyYAML was built
        loader = yaml.SafeLoader
    rules: dict[str, Rule] = {}
    names: dict[str, str] = {}
    for entry in entries:
        rule = parse_rule(yaml.load(entry.read_text(encoding="utf-8"), Loader=loader), entry.name)
        expected_file = f"{rule.code}-{rule.name}.yaml"
        if entry.name != expected_file:
            raise CatalogueError(f"{entry.name}: file must be named {expected_file}")
        if rule.code in rules or rule.name in names:
            raise CatalogueError(f"{entry.name}: duplicate code or name")
        rules[rule.code] = rule
        names[rule.name] = rule.code
    return rules


def lookup(code_or_name: str) -> Rule | None:
    rules = load()
    key = code_or_name.strip()
    if key.upper() in rules:
        return rules[key.upper()]
    return next((r for r in rules.values() if r.name == key.lower()), None)
