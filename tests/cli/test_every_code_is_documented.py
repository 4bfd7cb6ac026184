"""Every code the tool can emit is in the catalogue, `releasesafe rules`, `releasesafe explain` and docs/rules."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_helpers import ROOT, releasesafe
from click.testing import CliRunner

from pytest_releasesafe import catalogue
from pytest_releasesafe.cli import main
from pytest_releasesafe.flags.rules import RULES as FLAG_RULES

_CODE_LITERAL = re.compile(r"""["'](RSF?\d{3})["']""")


def _codes_in_source() -> set[str]:
    """Rule codes written as string literals anywhere in the shipped package (what it can emit)."""
    codes: set[str] = set()
    for path in (ROOT / "pytest_releasesafe").rglob("*.py"):
        codes.update(_CODE_LITERAL.findall(path.read_text(encoding="utf-8")))
    return codes


EMITTED = sorted(_codes_in_source())


def test_source_emits_lint_flag_and_trace_codes() -> None:
    assert {"RS001", "RS101", "RS900", "RSF001"} <= set(EMITTED)


def test_every_emitted_code_is_in_the_catalogue_and_rules_listing() -> None:
    listed = {entry["code"] for entry in json.loads(releasesafe("rules", "--format", "json").stdout)}
    assert set(EMITTED) <= set(catalogue.load()), set(EMITTED) - set(catalogue.load())
    assert set(EMITTED) <= listed


@pytest.mark.parametrize("code", EMITTED)
def test_explain_renders_every_code_without_raw_placeholders(code: str) -> None:
    done = CliRunner().invoke(main, ["explain", code])
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith(code) and "Why:" in done.stdout
    assert not re.search(r"\{[a-z_]+\}", done.stdout), done.stdout


def test_explain_of_engine_and_flag_codes_through_the_installed_command() -> None:
    for code in ("RS900", "RSF001"):
        done = releasesafe("explain", code)
        assert done.returncode == 0 and done.stdout.startswith(code), done.stderr


def test_every_emitted_code_has_a_generated_docs_page() -> None:
    rules = catalogue.load()
    for code in EMITTED:
        page = ROOT / "docs" / "rules" / f"{code}-{rules[code].name}.md"
        assert page.is_file(), page


def test_flag_rules_in_the_catalogue_agree_with_the_flags_command() -> None:
    rules = catalogue.load()
    for flag_rule in FLAG_RULES.values():
        entry = rules[flag_rule.code]
        assert (entry.name, entry.severity, entry.summary, entry.face) == (
            flag_rule.name,
            flag_rule.severity,
            flag_rule.summary,
            "flags",
        )
    assert {r.code for r in rules.values() if r.face == "flags"} == {r.code for r in FLAG_RULES.values()}


def test_lint_rejects_a_flags_rule_selector_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "a.sql").write_text("SELECT 1;\n")
    done = releasesafe("lint", "--select", "RSF001", "a.sql", cwd=tmp_path)
    assert done.returncode == 2 and "`releasesafe flags` rules" in done.stderr


def test_explain_of_an_unknown_rule_suggests_the_closest() -> None:
    done = CliRunner().invoke(main, ["explain", "RSF0O1"])
    assert done.exit_code == 2 and "no rule 'RSF0O1' (did you mean RSF001?)" in done.output
