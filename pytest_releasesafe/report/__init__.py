"""Render findings: text, json, github, sarif, gitlab, markdown.

Every face of the product (linter, flag finder) reports `Finding`s through here. Rule metadata
(for SARIF's rule table and the markdown summary) comes from the linter catalogue unless the
caller passes its own.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from pytest_releasesafe.findings import Finding

FORMATS = ("text", "json", "github", "sarif", "gitlab", "markdown")
DOCS_URL = "https://github.com/pytest-releasesafe/pytest-releasesafe/blob/main/docs/rules/{code}-{name}.md"


@dataclass(frozen=True)
class RuleMeta:
    code: str
    name: str
    summary: str
    severity: str = "warning"
    help_uri: str = ""
    help: str = ""


def catalogue_rules() -> dict[str, RuleMeta]:
    from pytest_releasesafe import catalogue

    return {
        code: RuleMeta(
            code,
            rule.name,
            rule.summary,
            rule.severity,
            DOCS_URL.format(code=code, name=rule.name),
            rule.why.strip(),
        )
        for code, rule in catalogue.load().items()
    }


def render(
    findings: list[Finding],
    fmt: str,
    *,
    rules: dict[str, RuleMeta] | None = None,
    tool: str = "releasesafe",
    color: bool = False,
    frames: bool = False,
    files_checked: int | None = None,
) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    module = importlib.import_module(f"{__name__}.{fmt}_format")
    if fmt in ("sarif", "markdown") and rules is None:
        rules = catalogue_rules()
    return module.render(
        findings, rules=rules or {}, tool=tool, color=color, frames=frames, files_checked=files_checked
    )
