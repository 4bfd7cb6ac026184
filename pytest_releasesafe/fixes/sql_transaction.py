"""Where a migration tool wraps a .sql step in its own transaction, make room for CONCURRENTLY.

goose runs a file in one transaction unless it says `-- +goose NO TRANSACTION`; dbmate runs each step
in one unless its marker says `transaction:false`; sql-migrate unless `notransaction`. Adding
CONCURRENTLY inside such a step makes the migration fail (RS102 reports it), so a fix must also take
the step out of the transaction: done only when nothing else in that step needs the transaction's
all-or-nothing guarantee, that is when every statement there is one being fixed, or the step is a
single statement. Otherwise the statement is left alone with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlglot.errors import TokenError

from pytest_releasesafe.fixes.sql_fix import FIXABLE_RULES, _statements
from pytest_releasesafe.frontends.sql import sqlglot_dialect
from pytest_releasesafe.frontends.sql_sections import Section, file_sections, section_at

_GOOSE_UP = re.compile(r"^[ \t]*--[ \t]*\+goose[ \t]+up\b", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class TransactionPlan:
    text: str  # the text to fix: dbmate/sql-migrate markers already opt out (same line numbers)
    transaction_at: Callable[[int], bool] | None  # None: the file has no tool steps
    finish: Callable[[str], str]  # applied to the fixed text (goose's marker is a line of its own)
    reasons: tuple[str, ...]  # why flagged statements stay unfixed in their step's transaction


def _unchanged(text: str) -> str:
    return text


def plan(display: str, text: str, wanted: Callable[[int, int], set[str]]) -> TransactionPlan:
    sections = file_sections(display, text)
    if not sections:
        return TransactionPlan(text, None, _unchanged, ())
    try:
        tokens = sqlglot_dialect("postgresql").tokenize(text)
    except TokenError:
        return TransactionPlan(text, None, _unchanged, ())
    by_section: dict[int, list[tuple[int, int]]] = {}
    for statement, _ in _statements(tokens):
        section = section_at(sections, statement[0].line)
        if section is not None:
            by_section.setdefault(section.line, []).append((statement[0].line, statement[-1].line))

    def flagged(span: tuple[int, int]) -> bool:
        return bool(wanted(*span) & FIXABLE_RULES)

    blocked = [s for s in sections if s.in_transaction and any(map(flagged, by_section.get(s.line, [])))]
    if not blocked:
        return TransactionPlan(text, _transaction_at(sections, set()), _unchanged, ())
    tool = _tool(text)
    # goose's marker is for the whole file; dbmate's and sql-migrate's for one step.
    affected = [s for s in sections if s.in_transaction] if tool == "goose" else blocked
    reasons = [
        f"line {s.line}: this {tool} step runs in a transaction with other statements that need it; "
        f"move the flagged statement into a migration of its own {_marker_hint(tool)}"
        for s in affected
        if len(by_section.get(s.line, [])) > 1 and not all(map(flagged, by_section[s.line]))
    ]
    if tool is None:
        reasons.append(f"line {blocked[0].line}: this step runs in a transaction and has no known opt-out")
    if reasons:
        return TransactionPlan(text, _transaction_at(sections, set()), _unchanged, tuple(reasons))
    freed = {s.line for s in affected}
    if tool == "goose":
        return TransactionPlan(text, _transaction_at(sections, freed), _goose_no_transaction, ())
    lines = text.split("\n")
    for line in freed:  # the step's own marker line: same line count, so findings' lines still hold
        lines[line - 1] += " transaction:false" if tool == "dbmate" else " notransaction"
    return TransactionPlan("\n".join(lines), _transaction_at(sections, freed), _unchanged, ())


def _transaction_at(sections: list[Section], freed: set[int]) -> Callable[[int], bool]:
    def at(line: int) -> bool:
        section = section_at(sections, line)
        return bool(section and section.in_transaction and section.line not in freed)

    return at


def _tool(text: str) -> str | None:
    if re.search(r"^[ \t]*--[ \t]*\+goose[ \t]", text, re.IGNORECASE | re.MULTILINE):
        return "goose"
    if re.search(r"^[ \t]*--[ \t]*migrate:(?:up|down)\b", text, re.IGNORECASE | re.MULTILINE):
        return "dbmate"
    if re.search(r"^[ \t]*--[ \t]*\+migrate[ \t]", text, re.IGNORECASE | re.MULTILINE):
        return "sql-migrate"
    return None  # e.g. Liquibase changesets: no opt-out is written for them


def _marker_hint(tool: str | None) -> str:
    return {
        "goose": "with `-- +goose NO TRANSACTION`",
        "dbmate": "with `-- migrate:up transaction:false`",
        "sql-migrate": "with `-- +migrate Up notransaction`",
    }.get(tool or "", "that runs outside a transaction")


def _goose_no_transaction(fixed: str) -> str:
    match = _GOOSE_UP.search(fixed)
    at = match.start() if match else 0
    return fixed[:at] + "-- +goose NO TRANSACTION\n" + fixed[at:]
