"""GitLab Code Quality report (artifacts:reports:codequality)."""

from __future__ import annotations

import hashlib
import json

from pytest_releasesafe.findings import Finding

_SEVERITY = {"error": "critical", "warning": "major", "info": "info"}


def render(findings: list[Finding], **_: object) -> str:
    issues = []
    for f in findings:
        fingerprint = hashlib.md5(
            f"{f.rule}|{f.path}|{f.line}|{f.message}".encode(), usedforsecurity=False
        ).hexdigest()
        issues.append(
            {
                "type": "issue",
                "check_name": f"{f.rule} {f.name}",
                "description": f"{f.rule} [{f.name}] {f.message}",
                "content": {"body": f.help} if f.help else {"body": f.message},
                "categories": ["Bug Risk"],
                "severity": _SEVERITY[f.severity],
                "fingerprint": fingerprint,
                "location": {
                    "path": f.path,
                    "lines": {"begin": f.line, "end": max(f.end_line or f.line, f.line)},
                },
            }
        )
    return json.dumps(issues, indent=2) + "\n"
