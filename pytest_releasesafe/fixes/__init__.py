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
from dataclasses import replace
from pathlib import Path

from pytest_releasesafe.config import Config
from pytest_releasesafe.engine import lint
from pytest_releasesafe.findings import Finding
from pytest_releasesafe.fixes.sql_fix import FIXABLE_RULES

__all__ = ["apply_fixes", "FIXABLE_RULES"]


def apply_fixes(
    paths: Iterable[str], config: Config, *, write: bool = True, diff_base: str | None = None
) -> Iterator[str]:
    """Fix flagged statements in place (or, with `write=False`, yield a unified diff instead).

    With `diff_base` only migrations added or changed since that git ref are touched: a migration
    that already ran in production must not change under it.

    Yields human-readable lines: one per fixed file, or the diff lines of the preview.
    """
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
        yield from _fix_file(path, display, findings, config, write)
    if not by_path:
        yield "--fix: nothing to fix"


def _fix_file(
    path: Path, display: str, findings: list[Finding], config: Config, write: bool
) -> Iterator[str]:
    try:
        original = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        yield f"{display}: not fixed, cannot read it ({error})"
        return

    def wanted(first: int, last: int) -> set[str]:
        return {f.rule for f in findings if first <= f.line <= last}

    if path.suffix == ".py":
        from pytest_releasesafe.fixes.alembic_fix import fix_alembic

        outcome = fix_alembic(original, wanted, target_version=config.target_version)
        text, fixed = outcome.text, outcome.fixed
        problem = _python_problem(text)
    else:
        from pytest_releasesafe.fixes.sql_fix import fix_sql

        sql_outcome = fix_sql(
            original,
            wanted,
            target_version=config.target_version,
            file_in_transaction=config.sql_in_transaction,
        )
        text, fixed = sql_outcome.text, sql_outcome.fixed
        problem = _sql_problem(text, display)
    if not fixed or text == original:
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
    path.write_text(text, encoding="utf-8")
    counts = ", ".join(f"{code} x{fixed.count(code)}" for code in sorted(set(fixed)))
    yield f"{display}: fixed {len(fixed)} statement{'s' if len(fixed) != 1 else ''} ({counts})"


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
