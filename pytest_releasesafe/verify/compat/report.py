"""Render a compat report as text (terminal, pytest failure), JSON (tools) or Markdown (PR comments)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import groupby
from typing import Any

from pytest_releasesafe.verify.compat.breaks import Break
from pytest_releasesafe.verify.compat.runner import CompatReport

FORMATS = ("text", "json", "markdown")


def render(report: CompatReport, format: str) -> str:
    if format == "json":
        return json.dumps(to_dict(report), indent=2)
    if format == "markdown":
        return render_markdown(report)
    return render_text(report)


def _grouped(breaks: Iterable[Break]) -> list[tuple[str, list[Break]]]:
    """One entry per table.column (or table), static findings first, then the failing statements."""
    return [(target, list(items)) for target, items in groupby(breaks, key=lambda item: item.target)]


def _headline(report: CompatReport) -> str:
    return (
        f"base {report.base.ref} ({report.base.commit[:10]}) -> current tree on {report.server}: "
        f"{len(report.tables)} table(s) mapped by the old code, {len(report.new_revisions)} new revision(s)"
    )


def _revision_text(item: Break) -> str:
    if item.revision is not None:
        return f"{item.revision.label()} in {item.revision.path}"
    if item.fresh_only:
        return "only on a database migrated from scratch (the upgrade from the base head differs)"
    return "unknown"


def render_text(report: CompatReport) -> str:
    lines = [f"releasesafe compat: {_headline(report)}"]
    if not report.new_revisions:
        lines.append("No new revisions since the base release: nothing to check.")
    if report.compatible:
        lines.append(
            "COMPATIBLE: the old code's INSERT, SELECT, UPDATE and DELETE all work on the new schema."
        )
        return "\n".join(lines) + "\n"
    groups = _grouped(report.breaks)
    lines.append(
        f"INCOMPATIBLE: the old code breaks on {len(groups)} column(s)/table(s) after the migration."
    )
    for target, items in groups:
        model = next((item.model for item in items if item.model), None)
        lines.append("")
        lines.append(f"{target}" + (f"  (old model attribute {model})" if model else ""))
        for item in items:
            if item.operation == "schema":
                lines.append(f"  {item.kind}: {item.message}")
        for item in items:
            if item.operation != "schema":
                lines.append(f"  {item.operation} fails: {item.error}")
        lines.append(f"  revision: {_revision_text(items[0])}")
        lines.append(f"  instead: {items[0].advice()}")
    return "\n".join(lines) + "\n"


def render_markdown(report: CompatReport) -> str:
    verdict = "compatible" if report.compatible else "**incompatible**"
    lines = [f"### releasesafe compat: {verdict}", "", _headline(report), ""]
    if report.compatible:
        return "\n".join(lines)
    lines += ["| Column | Old model | Problem | Revision |", "| --- | --- | --- | --- |"]
    for target, items in _grouped(report.breaks):
        model = next((item.model for item in items if item.model), None) or ""
        problems = [item.message for item in items if item.operation == "schema"]
        problems += [f"{item.operation}: `{item.error}`" for item in items if item.operation != "schema"]
        revision = items[0].revision
        revision_cell = f"`{revision.id}` {revision.message}" if revision else _revision_text(items[0])
        lines.append(
            f"| `{target}` | {f'`{model}`' if model else ''} | {'<br>'.join(_cell(p) for p in problems)} "
            f"| {_cell(revision_cell)} |"
        )
    lines += ["", "**Expand/contract instead:**", ""]
    for target, items in _grouped(report.breaks):
        lines.append(f"- `{target}`: {items[0].advice()}")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_dict(report: CompatReport) -> dict[str, Any]:
    return {
        "base": {"ref": report.base.ref, "commit": report.base.commit},
        "database": {"dialect": report.dialect, "server": report.server},
        "compatible": report.compatible,
        "tables": list(report.tables),
        "new_revisions": [
            {"id": revision.id, "message": revision.message, "path": revision.path}
            for revision in report.new_revisions
        ],
        "breaks": [_break_dict(item) for item in report.breaks],
    }


def _break_dict(item: Break) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "operation": item.operation,
        "table": item.table,
        "column": item.column,
        "model": item.model,
        "message": item.message,
        "error": item.error or None,
        "renamed_to": item.renamed_to,
        "revision": item.revision.id if item.revision else None,
        "revision_path": item.revision.path if item.revision else None,
        "fresh_only": item.fresh_only,
        "advice": item.advice(),
    }
