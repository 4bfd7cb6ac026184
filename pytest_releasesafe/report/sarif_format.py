"""SARIF 2.1.0, as GitHub code scanning accepts it (upload with github/codeql-action/upload-sarif)."""

from __future__ import annotations

import hashlib
import json

from pytest_releasesafe import __version__
from pytest_releasesafe.findings import Finding

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(findings: list[Finding], *, rules: dict, tool: str = "releasesafe", **_: object) -> str:
    used = sorted({f.rule for f in findings} | set(rules))
    index = {code: i for i, code in enumerate(used)}
    rule_entries = []
    for code in used:
        meta = rules.get(code)
        name = meta.name if meta else next((f.name for f in findings if f.rule == code), code)
        summary = meta.summary if meta else name
        entry = {
            "id": code,
            "name": name,
            "shortDescription": {"text": summary},
            "fullDescription": {"text": (meta.help or summary) if meta else summary},
            "defaultConfiguration": {"level": _LEVEL.get(meta.severity if meta else "warning", "warning")},
            "properties": {"tags": ["release-safety"]},
        }
        if meta and meta.help_uri:
            entry["helpUri"] = meta.help_uri
        rule_entries.append(entry)
    results = []
    for f in findings:
        fingerprint = hashlib.sha256(f"{f.rule}|{f.path}|{f.message}".encode()).hexdigest()
        results.append(
            {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": _LEVEL[f.severity],
                "message": {"text": f.message + (f"\n\nSafe alternative:\n{f.help}" if f.help else "")},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": f.path, "uriBaseId": "%SRCROOT%"},
                            "region": {
                                "startLine": f.line,
                                "startColumn": f.column,
                                "endLine": max(f.end_line or f.line, f.line),
                                **(
                                    {"endColumn": f.end_column}
                                    if f.end_column and f.end_column > f.column
                                    else {}
                                ),
                            },
                        }
                    }
                ],
                "partialFingerprints": {"releasesafe/v1": fingerprint},
            }
        )
    sarif = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": tool,
                        "version": __version__,
                        "informationUri": "https://github.com/pytest-releasesafe/pytest-releasesafe",
                        "rules": rule_entries,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(sarif, indent=2) + "\n"
