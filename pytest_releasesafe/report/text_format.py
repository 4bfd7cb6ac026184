"""Human output: `path:line:col: CODE [name] message`, a code frame on a TTY, then the safe alternative."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pytest_releasesafe.findings import Finding

_COLORS = {
    "error": "\033[31m",
    "warning": "\033[33m",
    "info": "\033[36m",
    "dim": "\033[2m",
    "bold": "\033[1m",
    "reset": "\033[0m",
}


def _paint(text: str, style: str, color: bool) -> str:
    return f"{_COLORS[style]}{text}{_COLORS['reset']}" if color else text


def _frame(finding: Finding, cache: dict[str, list[str]]) -> list[str]:
    if finding.path not in cache:
        try:
            cache[finding.path] = (
                Path(finding.path).read_text(encoding="utf-8", errors="replace").splitlines()
            )
        except OSError:
            cache[finding.path] = []
    lines = cache[finding.path]
    if not 1 <= finding.line <= len(lines):
        return []
    out = []
    for number in range(max(1, finding.line - 1), min(len(lines), finding.line + 1) + 1):
        marker = ">" if number == finding.line else " "
        out.append(f"  {marker} {number:>4} | {lines[number - 1]}")
    return out


def render(
    findings: list[Finding],
    *,
    color: bool = False,
    frames: bool = False,
    files_checked: int | None = None,
    **_: object,
) -> str:
    out: list[str] = []
    sources: dict[str, list[str]] = {}
    for finding in findings:
        head = f"{finding.path}:{finding.line}:{finding.column}:"
        code = _paint(f"{finding.rule} [{finding.name}]", finding.severity, color)
        out.append(f"{_paint(head, 'bold', color)} {code} {finding.message}")
        if frames:
            out.extend(_paint(line, "dim", color) for line in _frame(finding, sources))
        if finding.help:
            help_lines = finding.help.splitlines()
            out.append(f"  help: {help_lines[0]}")
            out.extend(f"        {line}" if line.strip() else "" for line in help_lines[1:])
        out.append("")
    counts = Counter(f.severity for f in findings)
    # "in N files" counts the files the findings are in; how many were checked is said separately.
    checked = (
        f"; checked {files_checked} file{'s' if files_checked != 1 else ''}"
        if files_checked is not None
        else ""
    )
    if findings:
        parts = [
            f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
            for s in ("error", "warning", "info")
            if counts[s]
        ]
        where = len({finding.path for finding in findings})
        out.append(
            f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} in {where} "
            f"file{'s' if where != 1 else ''} ({', '.join(parts)}){checked}."
        )
    else:
        out.append(f"All clear: no findings{checked}.")
    return "\n".join(out) + "\n"
