"""The rule catalogue: rules/*.yaml, shipped as the package `pytest_releasesafe.rules`.

A YAML file holds a rule's facts (code, name, severity, dialects, why, the safe alternative as a
template filled with the user's names, references, bad/good examples); the check module in
`checks/` holds only logic. Docs pages, `releasesafe explain` and the example tests all come from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

try:  # the C loader parses the catalogue several times faster
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

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
    """All rules by code."""
    rules: dict[str, Rule] = {}
    names: dict[str, str] = {}
    for entry in sorted(resources.files("pytest_releasesafe.rules").iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".yaml"):
            continue
        rule = parse_rule(yaml.load(entry.read_text(encoding="utf-8"), Loader=_Loader), entry.name)
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
