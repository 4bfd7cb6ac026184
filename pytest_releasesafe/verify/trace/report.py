"""Render a trace as text (terminal), JSON (machines, `lint --trace`) or markdown (PR comments)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from pytest_releasesafe.verify.trace.locks import strength
from pytest_releasesafe.verify.trace.model import Lock, RevisionInfo, StatementTrace, TraceResult

FORMATS = ("text", "json", "markdown")

_BLOCKS_TEXT = {"reads": "blocks reads and writes", "writes": "blocks writes"}


def render(result: TraceResult, format: str) -> str:
    if format == "json":
        return json.dumps(result.to_json_list(), indent=2) + "\n"
    if format == "markdown":
        return render_markdown(result)
    return render_text(result)


def strongest_locks(locks: Iterable[Lock]) -> list[Lock]:
    """The strongest mode per relation, strongest first: what other sessions feel."""
    best: dict[str, Lock] = {}
    for lock in locks:
        current = best.get(lock.relation)
        if current is None or strength(lock.mode) > strength(current.mode):
            best[lock.relation] = lock
    return sorted(best.values(), key=lambda lock: (-strength(lock.mode), lock.relation))


def summary(result: TraceResult) -> str:
    blocking = len(result.blocking)
    verdict = (
        f"{blocking} of {len(result.statements)} statements block reads or writes of tables that existed "
        "before their revision"
        if blocking
        else f"none of {len(result.statements)} statements blocks reads or writes of an existing table"
    )
    return (
        f"{len(result.revisions)} revisions traced with {result.rows:,} rows per existing table: {verdict}."
    )


def statement_problem(statement: StatementTrace) -> str:
    """One line for a blocking statement: what it blocks, on which tables, with which lock."""
    modes = ", ".join(
        f"{lock.mode} on {lock.relation}"
        for lock in strongest_locks(statement.locks)
        if lock.relation in statement.blocked_tables
    )
    return f"{_BLOCKS_TEXT[statement.blocks or 'writes']} ({modes}): {_one_line(statement.sql, 120)}"


def _one_line(sql: str, limit: int) -> str:
    text = " ".join(sql.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _lock_text(locks: Iterable[Lock]) -> str:
    return ", ".join(
        f"{lock.relation} {lock.mode}" + ("" if lock.kind == "table" else f" ({lock.kind})")
        for lock in strongest_locks(locks)
    )


def render_text(result: TraceResult) -> str:
    lines: list[str] = []
    for revision in result.revisions:
        lines.append(f"{revision.id}  {revision.message}".rstrip())
        statements = result.for_revision(revision.id)
        if not statements:
            lines.append("    (no statements)")
        for statement in statements:
            timeout = f"{statement.lock_timeout} ms" if statement.lock_timeout else "none"
            lines.append(f"  {_one_line(statement.sql, 100)}")
            lines.append(f"      {statement.duration_ms:.1f} ms, lock_timeout {timeout}")
            if statement.locks:
                lines.append(f"      locks: {_lock_text(statement.locks)}")
            if statement.rewrites:
                lines.append(f"      rewrites: {', '.join(statement.rewrites)}")
            if statement.blocks:
                tables = ", ".join(statement.blocked_tables)
                lines.append(f"      {_BLOCKS_TEXT[statement.blocks].upper()} of {tables}")
        lines.append("")
    lines.extend(_problems(result))
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def _problems(result: TraceResult) -> list[str]:
    lines = [f"warning: {warning}" for warning in result.warnings]
    if result.failure is not None:
        failure = result.failure
        where = f" at: {_one_line(failure.sql, 120)}" if failure.sql else ""
        lines.append(f"error: revision {failure.revision} failed{where}: {failure.message}")
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown_revision(revision: RevisionInfo, statements: list[StatementTrace]) -> list[str]:
    lines = [f"### `{revision.id}` {_cell(revision.message)}".rstrip(), ""]
    if not statements:
        return [*lines, "_No statements._", ""]
    lines.append("| Statement | Time | Strongest locks | Rewrites | Blocks | lock_timeout |")
    lines.append("|---|---:|---|---|---|---|")
    for statement in statements:
        sql = _one_line(statement.sql, 160).replace("`", "'")
        locks = "<br>".join(f"{lock.relation}: {lock.mode}" for lock in strongest_locks(statement.locks))
        blocks = f"**{_BLOCKS_TEXT[statement.blocks]}**" if statement.blocks else "no"
        timeout = f"{statement.lock_timeout} ms" if statement.lock_timeout else "none"
        cells = [
            f"`{_cell(sql)}`",
            f"{statement.duration_ms:.1f} ms",
            _cell(locks) or "none",
            _cell(", ".join(statement.rewrites)) or "none",
            blocks,
            timeout,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def render_markdown(result: TraceResult) -> str:
    lines = ["## Migration lock trace", "", summary(result), ""]
    for problem in _problems(result):
        lines.append(f"> {_cell(problem)}")
    if result.warnings or result.failure:
        lines.append("")
    for revision in result.revisions:
        lines.extend(_markdown_revision(revision, result.for_revision(revision.id)))
    return "\n".join(lines).rstrip() + "\n"
