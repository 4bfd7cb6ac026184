"""`releasesafe lint --fix`: apply the mechanical fixes of fixable rules, or preview them as a diff.

The linter runs first; only statements it flagged with a fixable rule are rewritten (SQL at token
offsets, Alembic with libcst), so a fix never touches code the linter did not judge. A fixed file
must parse again before it is written; otherwise it is left as it was and the reason is reported.
This package imports libcst and is imported only with --fix, keeping the lint path light.
"""

from __future__ import annotations

import ast
import difflib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from pytest_releasesafe import source_text
from pytest_releasesafe.config import Config
from pytest_releasesafe.engine import lint
from pytest_releasesafe.findings import Finding
from pytest_releasesafe.fixes.sql_fix import FIXABLE_RULES

__all__ = ["apply_fixes", "fix_text", "FixSummary", "FixedText", "FIXABLE_RULES"]


@dataclass
class FixSummary:
    """What `apply_fixes` did, for the caller's summary line and exit code."""

    written: int = 0  # files actually replaced on disk
    refused: int = 0  # files with a fix that could not be written (unwritable, changed, symlink out)
    failed: int = 0  # files the fixer itself failed on (the linter's own error)


def apply_fixes(
    paths: Iterable[str],
    config: Config,
    *,
    write: bool = True,
    diff_base: str | None = None,
    summary: FixSummary | None = None,
) -> Iterator[str]:
    """Fix flagged statements in place (or, with `write=False`, yield a unified diff instead).

    With `diff_base` only migrations added or changed since that git ref are touched: a migration
    that already ran in production must not change under it.

    Yields human-readable lines: one per file, the diff lines of the preview, and with `write` a
    last line counting the files actually written. Each file is written atomically through
    `source_text` (encoding, BOM, line endings and mode kept); a file that cannot be written is
    reported and the others are still fixed.
    """
    summary = summary if summary is not None else FixSummary()
    if config.dialect != "postgresql":
        yield f"--fix: no mechanical fixes for {config.dialect} (CONCURRENTLY and NOT VALID are Postgres)"
        return
    paths = list(paths)
    result = lint(paths, replace(config, cache=False), diff_base=diff_base)
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        if finding.rule in FIXABLE_RULES:
            by_path[finding.path].append(finding)
    for display, findings in sorted(by_path.items()):
        path = Path(display) if Path(display).exists() else config.root / display
        try:
            yield from _fix_file(path, display, findings, config, write, summary)
        except Exception as error:  # noqa: BLE001 - the fixer's own failure stays with this file
            from pytest_releasesafe.containment import describe

            summary.failed += 1
            yield f"{display}: not fixed, internal error in the fixer ({describe(error)}); please report it"
    if not by_path:
        yield "--fix: nothing to fix"
    elif write:
        files = f"{summary.written} file{'s' if summary.written != 1 else ''}"
        left = summary.refused + summary.failed
        yield f"--fix: wrote {files}" + (f"; {left} could not be written (see above)" if left else "")


def _fix_file(
    path: Path, display: str, findings: list[Finding], config: Config, write: bool, summary: FixSummary
) -> Iterator[str]:
    try:
        source = source_text.read_source(path)
    except source_text.RewriteRefused as error:
        summary.refused += 1
        yield f"{display}: not fixed, {error}"
        return
    original = source.text
    outcome = fix_text(display, original, findings, config)
    text, fixed, notes, problem = outcome.text, outcome.fixed, outcome.notes, outcome.problem
    for note in notes:
        yield f"{display}: left unfixed, {note}"
    if not fixed or text == original:
        if not notes:
            codes = ", ".join(sorted({f.rule for f in findings}))
            yield f"{display}: {codes} flagged, not fixable mechanically (follow the help in the report)"
        return
    if problem:
        yield f"{display}: not fixed, the fixed text would not parse ({problem})"
        return
    if not write:
        yield from difflib.unified_diff(
            original.splitlines(),
            text.splitlines(),
            f"a/{display.lstrip('/')}",
            f"b/{display.lstrip('/')}",
            lineterm="",
        )
        return
    try:
        source_text.write_source(source, text, root=config.root)
    except source_text.RewriteRefused as error:
        summary.refused += 1
        yield f"{display}: not fixed, {error}"
        return
    summary.written += 1
    counts = ", ".join(f"{code} x{fixed.count(code)}" for code in sorted(set(fixed)))
    yield f"{display}: fixed {len(fixed)} statement{'s' if len(fixed) != 1 else ''} ({counts})"


@dataclass(frozen=True)
class FixedText:
    text: str
    fixed: list[str]  # rule code of each statement fixed
    notes: tuple[str, ...]  # why flagged statements were left unfixed
    problem: str | None  # the fixed text does not parse: not to be used


def fix_text(display: str, original: str, findings: list[Finding], config: Config) -> FixedText:
    """The text with `findings` fixed, exactly as --fix writes it (the editor's quick fixes too).

    `display` names the file: its suffix picks Alembic or SQL, its layout the tool whose
    transaction a SQL step runs in."""

    def wanted(first: int, last: int) -> set[str]:
        return {f.rule for f in findings if first <= f.line <= last}

    notes: tuple[str, ...] = ()
    if display.endswith(".py"):
        from pytest_releasesafe.fixes.alembic_fix import fix_alembic

        outcome = fix_alembic(original, wanted, target_version=config.target_version)
        return FixedText(outcome.text, outcome.fixed, notes, _python_problem(outcome.text))
    from pytest_releasesafe.fixes.sql_fix import fix_sql
    from pytest_releasesafe.fixes.sql_transaction import plan

    # goose/dbmate steps run in the tool's transaction: take the step out of it, or leave it.
    steps = plan(display, original, wanted)
    sql_outcome = fix_sql(
        steps.text,
        wanted,
        target_version=config.target_version,
        file_in_transaction=config.sql_in_transaction,
        transaction_at=steps.transaction_at,
    )
    text, fixed = sql_outcome.text, sql_outcome.fixed
    if fixed:
        text = steps.finish(text)
    return FixedText(text, fixed, steps.reasons, _sql_problem(text, display))


def _python_problem(text: str) -> str | None:
    try:
        ast.parse(text)
    except SyntaxError as error:
        return f"line {error.lineno}: {error.msg}"
    return None


def _sql_problem(text: str, display: str) -> str | None:
    from pytest_releasesafe.frontends.sql import Placement, SqlState, parse_sql

    _, problems = parse_sql(text, Placement(display), "postgresql", SqlState(in_transaction=False))
    return f"line {problems[0].location.line}: {problems[0].message}" if problems else None
