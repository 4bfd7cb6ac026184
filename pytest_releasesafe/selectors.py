"""The one grammar for naming rules: `--select`/`--ignore`, config select/ignore, per-path ignores,
`[tool.releasesafe.severity]` keys and suppression comments all use it.

A selector is `ALL` (or `*`), a full code (`RS101`), a code prefix (`RS1`, `RS10`: every rule whose
code starts with it) or a kebab name (`create-index-not-concurrently`). Case does not matter. A
selector that names no rule is an error, never a silent no-op: `RS10l` or `RS999` would otherwise
select nothing and let every migration through.

The known codes and names are read from the catalogue's file names (`RS101-name.yaml`), not from
the YAML itself, so validating costs one directory listing on the fast start-up path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache

_ALL = frozenset({"ALL", "*"})
_RULE_FILE = re.compile(r"^(RS[A-Z]?\d{3})-([a-z0-9-]+)\.yaml$")
_LOOKALIKE_DIGITS = str.maketrans({"L": "1", "I": "1", "O": "0"})
FLAG_PREFIX = "RSF"  # `releasesafe flags` rules: never reported by `releasesafe lint`


class SelectorError(ValueError):
    """A selector that names no rule; the message says which and where it was written."""


@lru_cache(maxsize=1)
def known_rules() -> dict[str, str]:
    """code -> kebab name for every rule in the catalogue."""
    from pytest_releasesafe.lint_cache import rules_dir

    rules: dict[str, str] = {}
    for entry in os.listdir(rules_dir()):
        match = _RULE_FILE.match(entry)
        if match:
            rules[match.group(1)] = match.group(2)
    return rules


def lint_rules() -> dict[str, str]:
    return {code: name for code, name in known_rules().items() if not code.startswith(FLAG_PREFIX)}


def matches(selector: str, code: str, name: str) -> bool:
    text = selector.strip()
    upper = text.upper()
    return upper in _ALL or code.startswith(upper) or name == text.lower()


def specificity(selector: str, code: str, name: str) -> int:
    """How precisely a matching selector names the rule: an exact code or name beats a prefix,
    a longer prefix beats a shorter one, `ALL` comes last (for severity overrides)."""
    upper = selector.strip().upper()
    if upper == code or selector.strip().lower() == name:
        return 100
    if upper in _ALL:
        return 0
    return len(upper)


def problem(selector: str, rules: dict[str, str] | None = None) -> str | None:
    """Why `selector` is not a valid selector for these rules (default: the lint rules), or None."""
    rules = lint_rules() if rules is None else rules
    text = selector.strip()
    if not text:
        return "empty rule selector"
    if any(matches(text, code, name) for code, name in rules.items()):
        return None
    elsewhere = {code: name for code, name in known_rules().items() if code not in rules}
    if text.upper() not in _ALL and any(matches(text, code, name) for code, name in elsewhere.items()):
        return f"{text!r} names only `releasesafe flags` rules, which `releasesafe lint` never reports"
    hint = suggestion(text, rules)
    return f"unknown rule selector {text!r}" + (f" (did you mean {hint}?)" if hint else "")


def suggestion(text: str, rules: dict[str, str]) -> str | None:
    upper = text.upper()
    if upper.startswith("RS"):  # a letter typed for a digit: RS10l, RS1O1
        lookalike = "RS" + upper[2:].translate(_LOOKALIKE_DIGITS)
        if lookalike in rules:
            return lookalike
    import difflib  # only for a typo: not on every run's start-up

    candidates = [*rules, *rules.values()]
    close = difflib.get_close_matches(
        text.upper(), list(rules), n=1, cutoff=0.6
    ) or difflib.get_close_matches(text.lower(), candidates, n=1, cutoff=0.6)
    return close[0] if close else None


def validate(selectors: Iterable[str], where: str, rules: dict[str, str] | None = None) -> None:
    """Raise SelectorError naming `where` (e.g. "pyproject.toml: [tool.releasesafe] select")."""
    for selector in selectors:
        reason = problem(selector, rules)
        if reason:
            raise SelectorError(f"{where}: {reason}")
