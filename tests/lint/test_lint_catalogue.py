"""The catalogue is the single source of truth: every rule has facts, logic, examples and docs.

Each bad example must yield exactly its findings of its rule; each good example none of them.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lint_helpers import lint_snippet

from pytest_releasesafe import catalogue
from pytest_releasesafe.checks import registry

ROOT = Path(__file__).resolve().parents[2]
RULES = catalogue.load()

EXAMPLES = [
    pytest.param(
        rule,
        example,
        id=f"{rule.code}-{'bad' if example.bad else 'good'}{index}-{example.form}-{example.dialect}",
    )
    for rule in RULES.values()
    for index, example in enumerate(rule.examples)
]


@pytest.mark.parametrize(("rule", "example"), EXAMPLES)
def test_example(tmp_path: Path, rule: catalogue.Rule, example: catalogue.Example) -> None:
    # Engine rules (suppressions, syntax errors) interact with the other rules: run them all.
    settings: dict[str, object] = {"dialect": example.dialect, "select": () if rule.engine else (rule.code,)}
    if example.target_version is not None:
        settings["target_version"] = example.target_version
    elif example.dialect == "mysql":
        settings["target_version"] = 80
    findings = lint_snippet(tmp_path, example.code, example.form, **settings)
    mine = [f for f in findings if f.rule == rule.code]
    expected = example.findings if example.bad else 0
    assert len(mine) == expected, (
        "\n".join(f"{f.line}: {f.rule} {f.message}" for f in findings) or "no findings"
    )
    for finding in mine:
        assert finding.name == rule.name
        assert "{" not in finding.message, f"unfilled template field in: {finding.message}"
        assert finding.help, "every finding carries the safe alternative"


def test_every_rule_has_check_and_every_check_has_rule() -> None:
    checks = registry()
    engine_rules = {code for code, rule in RULES.items() if rule.engine}
    assert set(checks) == set(RULES) - engine_rules, "YAML without check or check without YAML"
    for code, module in checks.items():
        expected_module = f"{code.lower()}_{RULES[code].name.replace('-', '_')}"
        assert module.__name__.rsplit(".", 1)[-1] == expected_module


def test_every_rule_has_bad_and_good_examples() -> None:
    # Flag and trace rules are not judged from a migration snippet; their examples live in tests/flags, tests/trace.
    for rule in (r for r in RULES.values() if r.face == "lint"):
        if rule.category == "internal":
            continue  # the linter's own failure (RS005): no input triggers it on purpose; tested by injection
        assert any(e.bad for e in rule.examples), f"{rule.code} has no bad example"
        assert any(not e.bad for e in rule.examples), f"{rule.code} has no good example"


def test_rule_docs_are_generated_and_current() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "lint" / "gen_docs.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_codes_and_names_are_unique_and_well_formed() -> None:
    names = [r.name for r in RULES.values()]
    assert len(names) == len(set(names))
    for rule in RULES.values():
        assert re.fullmatch(r"RSF\d{3}" if rule.face == "flags" else r"RS\d{3}", rule.code), rule.code
        assert rule.name == rule.name.lower() and " " not in rule.name


def _ops_kinds_and_other_reads(module_source: str) -> tuple[set[str], list[str]]:
    """Kinds a check asks `ctx.ops` for, and anything else it reads that KINDS could not account for."""
    tree = ast.parse(module_source)
    kinds: set[str] = set()
    other: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "ops":
            literal = [
                a
                for a in node.args[1:]
                if isinstance(a, ast.Attribute) and isinstance(a.value, ast.Name) and a.value.id == "m"
            ]
            if len(node.args) < 2 or len(literal) != len(node.args) - 1:
                other.append(f"line {node.lineno}: ops() without literal kinds")
            kinds.update(a.attr for a in literal)
        elif isinstance(node, ast.Attribute) and node.attr in (
            "operations",
            "problems",
            "facts",
            "upgrade",
            "downgrade",
        ):
            other.append(f"line {node.lineno}: reads migration.{node.attr}")
        elif (
            isinstance(node, ast.ImportFrom)
            and (node.module or "").startswith("pytest_releasesafe.checks")
            # statement_parts and column_types read only the operation or type they are handed
            and node.module
            not in (
                "pytest_releasesafe.checks.base",
                "pytest_releasesafe.checks.statement_parts",
                "pytest_releasesafe.checks.column_types",
            )
        ):
            other.append(f"line {node.lineno}: uses helper {node.module}")
    return kinds, other


def test_declared_kinds_cover_everything_the_check_reads() -> None:
    """A check with KINDS is skipped for files without those kinds: it must read nothing else."""
    from pytest_releasesafe import model as m

    declared = {code: module for code, module in registry().items() if hasattr(module, "KINDS")}
    assert declared, "the engine's skip relies on some checks declaring KINDS"
    for code, module in declared.items():
        kinds, other = _ops_kinds_and_other_reads(Path(module.__file__).read_text(encoding="utf-8"))
        assert not other, f"{code} declares KINDS but {other}"
        assert {getattr(m, k) for k in kinds} <= module.KINDS, f"{code}: KINDS misses {kinds}"


def test_project_registry_finds_every_history_check_without_importing_the_rest() -> None:
    """A warm run over a revision history runs the project checks from `project_registry()`, which
    picks modules by their source: it must find every module defining `check_project`, and import
    none of the per-file checks (their import is what it saves)."""
    import json

    probe = (
        "import json, sys\n"
        "from pytest_releasesafe.checks import project_registry\n"
        "found = sorted(project_registry())\n"
        "loaded = sorted(n for n in sys.modules if n.startswith('pytest_releasesafe.checks.rs'))\n"
        "print(json.dumps([found, loaded]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    found, loaded = json.loads(done.stdout)
    expected = sorted(code for code, module in registry().items() if hasattr(module, "check_project"))
    assert found == expected and expected
    assert len(loaded) == len(expected), f"imported more than the project checks: {loaded}"
