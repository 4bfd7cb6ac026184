"""Recall and false alarms on cases equivalent to squawk's and strong_migrations' rule tests.

Each case is linted as a user would (a .sql file or an Alembic revision, through the real engine,
with the default rules; a peer's style case with releasesafe's opt-in style rules selected). An
unsafe case is caught when one of its rules reports it; a safe case is a false alarm when any error
or warning is reported. Single upgrade steps have no downgrade to judge, so the history rules
(RS8xx) stay off. A case marked `pending` (a wrong verdict another change in progress fixes) is kept
out of the gate and checked by a strict xfail, which fails once the fix lands so the mark is removed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # lint_helpers, next to this folder

from lint_helpers import lint_snippet  # noqa: E402
from peer_cases import CASES, Case  # noqa: E402

from pytest_releasesafe import catalogue  # noqa: E402

RULES = catalogue.load()
DEFAULT_RULES = tuple(c for c, r in RULES.items() if not r.opt_in and not c.startswith("RS8"))
STYLE_RULES = tuple(c for c in RULES if c.startswith("RS95"))


def verdict(tmp_path: Path, case: Case) -> tuple[bool, list[str]]:
    """(reported as unsafe, codes of the error/warning findings)."""
    rules = STYLE_RULES if case.scope == "style" else DEFAULT_RULES
    settings: dict[str, object] = {"dialect": case.dialect, "select": rules}
    if case.target_version is not None:
        settings["target_version"] = case.target_version
    findings = lint_snippet(tmp_path, case.code, case.form, **settings)
    alarms = [f.rule for f in findings if f.severity in ("error", "warning")]
    if case.rules:
        return any(f.rule in case.rules for f in findings), alarms
    return bool(alarms), alarms


def score(tmp_path: Path, peer: str) -> tuple[float, float, list[str]]:
    """(recall on unsafe cases, false-alarm rate on safe cases, what went wrong) for one peer."""
    cases = [c for c in CASES if c.peer == peer and c.scope == "safety" and not c.pending]
    caught = missed = alarms = safe = 0
    wrong: list[str] = []
    for index, case in enumerate(cases):
        folder = tmp_path / f"case{index}"
        folder.mkdir()
        reported, codes = verdict(folder, case)
        if case.unsafe:
            caught += reported
            missed += not reported
            if not reported:
                wrong.append(f"miss  {case.peer_rule}: {case.code!r} (expected {case.rules or 'any'})")
        else:
            safe += 1
            if codes:
                alarms += 1
                wrong.append(f"alarm {case.peer_rule}: {case.code!r} -> {codes}")
    return caught / (caught + missed), alarms / safe, wrong


@pytest.mark.parametrize("peer", ["squawk", "strong_migrations"])
def test_peer_suite_recall_at_least_95_percent_and_false_alarms_at_most_3_percent(
    tmp_path: Path, peer: str
) -> None:
    recall, false_alarms, wrong = score(tmp_path, peer)
    report = f"{peer}: recall {recall:.1%}, false alarms {false_alarms:.1%}\n" + "\n".join(wrong)
    print(report)
    assert recall >= 0.95, report
    assert false_alarms <= 0.03, report


PENDING = [pytest.param(c, id=f"{c.peer}-{c.peer_rule}-{i}") for i, c in enumerate(CASES) if c.pending]


@pytest.mark.parametrize("case", PENDING)
def test_pending_case_still_gets_the_wrong_verdict(tmp_path: Path, case: Case) -> None:
    reported, codes = verdict(tmp_path, case)
    right = reported if case.unsafe else not codes
    if not right:
        pytest.xfail(case.pending)
    pytest.fail(f"fixed ({case.pending}): remove its `pending` mark so the gate counts it")


def test_every_style_case_of_a_peer_is_listed_with_its_rule_or_as_out_of_scope() -> None:
    # Style preferences are kept visible: each names the opt-in rule that covers it, or none.
    style = [c for c in CASES if c.scope == "style"]
    assert style and all(not c.rules or all(r.startswith("RS95") for r in c.rules) for c in style)
