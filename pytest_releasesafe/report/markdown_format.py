"""Markdown for a pull-request comment, capped below GitHub's 65,536-character comment limit."""

from __future__ import annotations

from collections import Counter

from pytest_releasesafe.findings import Finding

LIMIT = 65_000
_ICON = {"error": "🔴", "warning": "🟠", "info": "🔵"}


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(
    findings: list[Finding], *, tool: str = "releasesafe", files_checked: int | None = None, **_: object
) -> str:
    counts = Counter(f.severity for f in findings)
    title = f"### {tool}: " + (
        ", ".join(
            f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
            for s in ("error", "warning", "info")
            if counts[s]
        )
        if findings
        else "no findings ✅"
    )
    head = [title, ""]
    if files_checked is not None:
        head += [f"Checked {files_checked} file{'s' if files_checked != 1 else ''}.", ""]
    if not findings:
        return "\n".join(head) + "\n"
    head += ["| | Location | Rule | Problem |", "|---|---|---|---|"]
    table = [
        f"| {_ICON[f.severity]} | `{f.path}:{f.line}` | `{f.rule}` {f.name} | {_escape(f.message)} |"
        for f in findings
    ]
    details = []
    for f in findings:
        if f.help:
            details += [
                f"<details><summary><code>{f.path}:{f.line}</code> {f.rule} {f.name}: safe alternative</summary>",
                "",
                "```",
                f.help.strip(),
                "```",
                "",
                "</details>",
                "",
            ]
    body = "\n".join(head + table) + "\n\n" + "\n".join(details)
    if len(body) <= LIMIT:
        return body
    # Too long for one comment: keep whole table rows, drop the details, say how many were cut.
    kept: list[str] = []
    size = len("\n".join(head)) + 200
    for row in table:
        if size + len(row) + 1 > LIMIT:
            break
        kept.append(row)
        size += len(row) + 1
    note = f"\n\n_{len(table) - len(kept)} more findings not shown (comment size limit); see the job log or the SARIF report._\n"
    if len(kept) == len(table):
        note = "\n\n_Safe alternatives omitted (comment size limit); see the job log or the SARIF report._\n"
    return "\n".join(head + kept) + note
