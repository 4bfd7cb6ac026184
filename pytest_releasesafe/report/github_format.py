"""GitHub Actions workflow commands: one annotation per finding on the pull request's diff."""

from __future__ import annotations

from pytest_releasesafe.findings import Finding

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(findings: list[Finding], **_: object) -> str:
    lines = []
    for f in findings:
        properties = ",".join(
            [
                f"file={_escape_property(f.path)}",
                f"line={f.line}",
                f"col={f.column}",
                f"endLine={f.end_line or f.line}",
                f"title={_escape_property(f'{f.rule} {f.name}')}",
            ]
        )
        body = f.message + (f"\n\n{f.help}" if f.help else "")
        lines.append(f"::{_LEVEL[f.severity]} {properties}::{_escape_data(body)}")
    return "\n".join(lines) + ("\n" if lines else "")
