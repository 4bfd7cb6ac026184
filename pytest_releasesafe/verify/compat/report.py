"""Render a compat report as text (terminal, pytest failure), JSON (tools) or Markdown (PR comments)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import groupby
from typing import Any

from pytest_releasesafe.verify.compat.breaks import Break
from pytest_releasesafe.verify.compat.runner import CompatReport

FORMATS = ("text", "json", "markdown")

Group = tuple[str, list[Break]]


def render(report: CompatReport, format: str) -> str:
    if format == "json":
        return json.dumps(to_dict(report), indent=2) + "\n"
    if format == "markdown":
        return render_markdown(report)
    return render_text(report)


def _grouped(breaks: Iterable[Break]) -> list[Group]:
    """One entry per table.column (or table): the runner sorts static findings first in each."""
    return [(target, list(items)) for target, items in groupby(breaks, key=lambda item: item.target)]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _headline(report: CompatReport) -> str:
    return (
        f"base {report.base.ref} ({report.base.commit[:10]}) -> current tree on {report.server}: "
        f"{_count(len(report.tables), 'table')} mapped by the old code, "
        f"{_count(len(report.new_revisions), 'new revision')}"
    )


def _verdict(groups: list[Group]) -> str:
    return f"the old code breaks in {_count(len(groups), 'place')} once the migration has run"


def _model(items: list[Break]) -> str | None:
    return next((item.model for item in items if item.model), None)


def _advice(items: list[Break]) -> str:
    """One recipe per column, from its most specific finding (the static one, when there is one)."""
    return items[0].advice()


def _revision_labels(items: list[Break], markdown: bool = False) -> list[str]:
    """The revisions that caused a group's breaks, in order, once each."""
    labels: list[str] = []
    for item in items:
        if item.revision is not None:
            revision = item.revision
            label = (
                f"`{revision.id}` {revision.message}"
                if markdown
                else f"{revision.label()} in {revision.path}"
            )
        elif item.fresh_only:
            label = "only on a database migrated from scratch (the upgrade from the base head differs)"
        else:
            label = "unknown"
        if label not in labels:
            labels.append(label)
    return labels


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
    lines.append(f"INCOMPATIBLE: {_verdict(groups)}.")
    for target, items in groups:
        model = _model(items)
        lines.append("")
        lines.append(target + (f"  (old model attribute {model})" if model else ""))
        lines.extend(f"  {item.kind}: {item.message}" for item in items if item.operation == "schema")
        lines.extend(
            f"  {item.operation} fails: {item.error}" for item in items if item.operation != "schema"
        )
        lines.append(f"  revision: {'; '.join(_revision_labels(items))}")
        lines.append(f"  instead: {_advice(items)}")
    return "\n".join(lines) + "\n"


def render_markdown(report: CompatReport) -> str:
    verdict = "compatible" if report.compatible else "**incompatible**"
    lines = [f"### releasesafe compat: {verdict}", "", _headline(report)]
    if report.compatible:
        return "\n".join(lines) + "\n"
    groups = _grouped(report.breaks)
    lines += ["", f"{_verdict(groups).capitalize()}.", ""]
    lines += ["| Column | Old model | Problem | Revision |", "| --- | --- | --- | --- |"]
    for target, items in groups:
        model = _model(items)
        problems = [item.message for item in items if item.operation == "schema"]
        problems += [f"{item.operation}: `{item.error}`" for item in items if item.operation != "schema"]
        cells = [
            f"`{target}`",
            f"`{model}`" if model else "",
            "<br>".join(_cell(problem) for problem in problems),
            "<br>".join(_cell(label) for label in _revision_labels(items, markdown=True)),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "**Expand/contract instead:**", ""]
    lines.extend(f"- `{target}`: {_advice(items)}" for target, items in groups)
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
        "breaks": [
            _break_dict(item, _advice(items)) for _, items in _grouped(report.breaks) for item in items
        ],
    }


def _break_dict(item: Break, advice: str) -> dict[str, Any]:
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
        "advice": advice,
    }
