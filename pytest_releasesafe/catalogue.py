"""The rule catalogue: rules/*.yaml, shipped as the package `pytest_releasesafe.rules`.

A YAML file holds a rule's facts (code, name, severity, dialects, why, the safe alternative as a
template filled with the user's names, references, bad/good examples); the check module in
`checks/` holds only logic. Docs pages, `releasesafe explain` and the example tests all come from here.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pytest_releasesafe import __version__
from pytest_releasesafe.user_cache import cache_dir

SEVERITIES = ("error", "warning", "info")
# Which command reports a rule: the linter, `releasesafe flags`, or `lint --trace` (a runtime trace).
FACES = {"lint": "releasesafe lint", "flags": "releasesafe flags", "trace": "releasesafe lint --trace"}


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
    face: str = "lint"  # a key of FACES: the command that reports it (only "lint" rules have check modules)
    dialect_overrides: dict[str, dict[str, str]] = field(default_factory=dict)
    # Wording for one kind of case (a hit's `variant` value), e.g. a generated column, not a serial one.
    variants: dict[str, dict[str, str]] = field(default_factory=dict)
    file: str = ""

    def text(self, key: str, dialect: str, variant: str | None = None) -> str:
        """A template field: the variant's wording, else the dialect's own, else the rule's."""
        if variant:
            chosen = self.variants.get(variant, {})
            if chosen.get(f"{dialect}.{key}") or chosen.get(key):
                return chosen.get(f"{dialect}.{key}") or chosen[key]
        override = self.dialect_overrides.get(dialect, {})
        return override.get(key) or getattr(self, key)

    def render(self, key: str, values: dict[str, Any], dialect: str = "postgresql", source: str = "") -> str:
        """A finding's message or help. The help for the user's form (Alembic or SQL) spells out code
        with their names; when a name it needs is not known statically (computed at run time), the
        rule's general help is given instead, so no stand-in is ever pasted into code."""
        variant = values.get("variant")
        if key == "help" and source:
            specific = self.text(f"help_{source}", dialect, variant)
            if specific and not unknown_fields(specific, values):
                return fill(specific, values, prose=True).strip()
        template = self.text(key, dialect, variant)
        if key == "help":
            template = without_code_needing(unknown_fields(template, values), template)
        return fill(template, values, prose=True).strip()


class _Placeholders(dict):
    def __missing__(self, key: str) -> str:
        return f"<{key}>"


class _InWords(dict):
    """Unknown names in a finding, said in words: a message or help never shows `<table>`."""

    def __missing__(self, key: str) -> str:
        return UNKNOWN_IN_WORDS.get(key, "(not known statically)")


NAME_NOT_KNOWN = "(name not known statically)"
UNKNOWN_IN_WORDS = {
    **dict.fromkeys(
        ("table", "table_name", "ddl_table", "column", "index", "constraint", "references", "name"),
        NAME_NOT_KNOWN,
    ),
    **dict.fromkeys(("target", "target_name", "enum", "new_name"), NAME_NOT_KNOWN),
    **dict.fromkeys(("columns", "columns_sql"), "(columns not known statically)"),
    **dict.fromkeys(("type", "new_type", "old_type"), "(type not known statically)"),
    "value": "(value not known statically)",
}


def _known(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in (None, "", ())}


def unknown_fields(template: str, values: dict[str, Any]) -> set[str]:
    """The `{fields}` of a template that have no value."""
    return {name for name in _template_fields(template) if values.get(name) in (None, "", ())}


@lru_cache(maxsize=4096)
def _template_fields(template: str) -> frozenset[str]:
    """The `{fields}` a template names (parsed once: every finding renders its rule's templates)."""
    import string

    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def without_code_needing(unknown: set[str], template: str) -> str:
    """The template without its code lines (indented) that use an unknown field: code is only ever
    shown with the user's real names. A sentence left introducing no code ends with a full stop."""
    if not unknown:
        return template
    import string

    kept: list[str] = []
    for line in template.splitlines():
        fields = {name for _, name, _, _ in string.Formatter().parse(line) if name}
        if line.startswith("    ") and fields & unknown:
            continue
        kept.append(line)
    for index, line in enumerate(kept):
        following = next((later for later in kept[index + 1 :] if later.strip()), "")
        if line.endswith(":") and not line.startswith("    ") and not following.startswith("    "):
            kept[index] = line[:-1] + "."
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept))


def fill(template: str, values: dict[str, Any], *, prose: bool = False) -> str:
    """Fill `{name}` fields with the user's names. Unknown ones stay visible as `<name>` (docs), or,
    with `prose`, are said in words (findings)."""
    known = (_InWords if prose else _Placeholders)(_known(values))
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
    if data.get("face", "lint") not in FACES:
        raise CatalogueError(f"{file}: face must be one of {', '.join(FACES)}")
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
        face=data.get("face", "lint"),
        dialect_overrides=data.get("dialect_overrides") or {},
        variants=data.get("variants") or {},
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
        loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader] = yaml.CSafeLoader
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
