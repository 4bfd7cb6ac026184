"""Where the linter's static verdict and a runtime trace disagree (`releasesafe lint --trace trace.json`).

Two kinds of disagreement, both reported as RS900 `trace-disagreement`:

- the trace saw a statement take a lock that blocks reads or writes of a table that existed before
  its revision, and no finding of the linter covers that table in that revision (static said safe);
- a finding whose rule predicts a lock or a rewrite (its message speaks of a lock or a rewrite)
  has no blocking lock or rewrite in the trace of its revision (static flagged what did not happen).

Findings and trace statements meet on the revision: a finding's file is read (with `ast`, never
imported) for its `revision = "..."`. A table is covered when the finding's message names it, or
names none of the tables the revision touched.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pytest_releasesafe.engine import LintError
from pytest_releasesafe.verify.trace.locks import blocks

RULE = "RS900"
NAME = "trace-disagreement"
SEVERITY = "warning"

# Rules about the linter itself: they neither call a statement safe nor predict a lock.
_META_RULES = frozenset(
    {"syntax-error", "unrecognized-statement", "unused-suppression", "suppression-without-reason", NAME}
)
# Rules that predict a lock or rewrite though their message may not say so in those words.
_LOCK_RULES = frozenset({"create-index-not-concurrently"})
_LOCK_WORDS = re.compile(r"\block(s|ed|ing)?\b|rewrit|exclusive", re.IGNORECASE)
_BLOCKS_TEXT = {"reads": "blocks reads and writes", "writes": "blocks writes"}


class TraceFormatError(LintError, ValueError):
    """The trace is not a `releasesafe trace --format json` report (a LintError: `lint` reports it as
    a usage error, never a traceback)."""


@dataclass(frozen=True)
class _Observation:
    revision: str
    sql: str
    table: str
    mode: str
    blocks: str


def disagreements(
    lint_findings: list[dict[str, Any]],
    trace: list[dict[str, Any]],
    *,
    revision_paths: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """RS900 findings (the linter's JSON shape) where `lint_findings` and `trace` disagree.

    `revision_paths` (revision id -> file) locates revisions no finding points at; without it they
    are looked up among the .py files next to the findings' files.
    """
    statements = _validated(trace)
    traced_revisions = {statement["revision"] for statement in statements}
    by_revision: dict[str, list[dict[str, Any]]] = {}
    for finding in lint_findings:
        if finding.get("name") in _META_RULES or finding.get("rule") == RULE:
            continue
        revision = revision_of(str(finding.get("path", "")))
        if revision is not None:
            by_revision.setdefault(revision, []).append(finding)
    locations = _revision_locations(lint_findings, revision_paths or {})

    results: list[dict[str, Any]] = []
    uncovered: dict[tuple[str, str], list[_Observation]] = {}  # (revision, sql) -> its uncovered locks
    for observation in _blocking_observations(statements):
        touched = _touched_tables(statements, observation.revision)
        findings = by_revision.get(observation.revision, [])
        if not any(_covers(finding, observation.table, touched) for finding in findings):
            uncovered.setdefault((observation.revision, observation.sql), []).append(observation)
    for (revision, sql), observations in uncovered.items():
        path, line = locations.get(revision, (f"revision {revision}", 1))
        locks = " and ".join(f"{item.mode} on existing table {item.table}" for item in observations)
        worst = "reads" if any(item.blocks == "reads" for item in observations) else "writes"
        results.append(
            _finding(
                path,
                line,
                f"The trace saw `{_one_line(sql)}` take {locks} ({_BLOCKS_TEXT[worst]}), "
                "but no lint finding covers it.",
                "The static rules missed this lock. Review the statement: make it non-blocking "
                "(e.g. CONCURRENTLY, NOT VALID then VALIDATE) or run it when the table may be locked.",
            )
        )

    for revision, findings in by_revision.items():
        if revision not in traced_revisions:
            continue  # not traced: no evidence either way
        touched = _touched_tables(statements, revision)
        effects = _effects(statements, revision)
        for finding in findings:
            if not _predicts_lock(finding):
                continue
            confirmed = [table for table in effects if _covers(finding, table, touched)]
            if confirmed:
                continue
            results.append(
                _finding(
                    str(finding.get("path", "")),
                    int(finding.get("line") or 1),
                    f"{finding.get('rule')} {finding.get('name')} predicts a blocking lock or a rewrite "
                    f"here, but the trace of revision {revision} saw none on "
                    f"{_named_tables(finding, touched)}.",
                    "If the table is new in this revision or the operation is safe on this PostgreSQL "
                    "version, suppress the finding with that reason; otherwise check the trace's settings.",
                    column=int(finding.get("column") or 1),
                )
            )
    return results


def revision_of(path: str) -> str | None:
    """The `revision = "..."` of an Alembic revision file, read without importing it."""
    if not path.endswith(".py"):
        return None
    return _revision_and_line(str(Path(path).resolve()))[0]


@lru_cache(maxsize=4096)
def _revision_and_line(path: str) -> tuple[str | None, int]:
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None, 1
    revision: str | None = None
    line = 1
    for node in tree.body:
        target: ast.expr | None = None
        value: ast.expr | None = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and target.id == "revision" and isinstance(value, ast.Constant):
            revision = str(value.value) if isinstance(value.value, str) else None
        if isinstance(node, ast.FunctionDef) and node.name == "upgrade":
            line = node.lineno
    return revision, line


def _revision_locations(
    findings: Iterable[dict[str, Any]], given: Mapping[str, str]
) -> dict[str, tuple[str, int]]:
    locations: dict[str, tuple[str, int]] = {}
    directories: set[Path] = set()
    for finding in findings:
        path = str(finding.get("path", ""))
        if path.endswith(".py"):
            directories.add(Path(path).parent)
    for directory in sorted(directories):
        for candidate in sorted(directory.glob("*.py")):
            revision, line = _revision_and_line(str(candidate.resolve()))
            if revision is not None:
                locations.setdefault(revision, (str(candidate), line))
    for revision, path in given.items():
        locations[revision] = (path, _revision_and_line(str(Path(path).resolve()))[1])
    return locations


def _validated(trace: Any) -> list[dict[str, Any]]:
    if not isinstance(trace, list):
        raise TraceFormatError(
            "--trace: a trace report is a JSON list of statements (releasesafe trace --format json)"
        )
    for index, statement in enumerate(trace):
        if not isinstance(statement, dict) or not {"revision", "sql", "locks", "blocks"} <= statement.keys():
            raise TraceFormatError(
                f"--trace: statement #{index + 1} lacks revision/sql/locks/blocks: "
                "not a releasesafe trace report"
            )
    return trace


def _blocking_observations(statements: list[dict[str, Any]]) -> list[_Observation]:
    """For each statement that blocks, the table lock(s) at its blocking level.

    The JSON does not say which tables pre-existed, so the tables locked at exactly the statement's
    `blocks` level are taken: a table created by the same statement shows the same level only when
    it is the one blocked.
    """
    observations: list[_Observation] = []
    for statement in statements:
        level = statement.get("blocks")
        if level not in _BLOCKS_TEXT:
            continue
        for lock in statement.get("locks") or []:
            if (
                lock.get("kind") in ("table", "partitioned table", "materialized view")
                and blocks(lock["mode"]) == level
            ):
                observations.append(
                    _Observation(
                        statement["revision"], statement["sql"], lock["relation"], lock["mode"], level
                    )
                )
    return observations


def _effects(statements: list[dict[str, Any]], revision: str) -> set[str]:
    """Tables a revision blocked or rewrote."""
    tables: set[str] = set()
    for observation in _blocking_observations(statements):
        if observation.revision == revision:
            tables.add(observation.table)
    for statement in statements:
        if statement["revision"] == revision:
            tables.update(statement.get("rewrites") or [])
    return tables


def _touched_tables(statements: list[dict[str, Any]], revision: str) -> set[str]:
    return {
        lock["relation"]
        for statement in statements
        if statement["revision"] == revision
        for lock in statement.get("locks") or []
        if lock.get("kind") in ("table", "partitioned table", "materialized view")
    }


def _bare(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _mentions(message: str, table: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(_bare(table))}(?!\w)", message, re.IGNORECASE) is not None


def _covers(finding: dict[str, Any], table: str, touched: set[str]) -> bool:
    message = str(finding.get("message", ""))
    if _mentions(message, table):
        return True
    return not any(_mentions(message, other) for other in touched)


def _named_tables(finding: dict[str, Any], touched: set[str]) -> str:
    named = sorted(table for table in touched if _mentions(str(finding.get("message", "")), table))
    return ", ".join(named) if named else "any existing table"


def _predicts_lock(finding: dict[str, Any]) -> bool:
    return finding.get("name") in _LOCK_RULES or bool(_LOCK_WORDS.search(str(finding.get("message", ""))))


def _one_line(sql: str, limit: int = 100) -> str:
    text = " ".join(sql.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _finding(path: str, line: int, message: str, help_text: str, column: int = 1) -> dict[str, Any]:
    return {
        "path": path,
        "line": line,
        "column": column,
        "end_line": line,
        "end_column": column,
        "rule": RULE,
        "name": NAME,
        "severity": SEVERITY,
        "message": message,
        "help": help_text,
    }
