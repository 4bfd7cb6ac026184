"""JSON: an array of finding objects (the documented, stable format others build on)."""

from __future__ import annotations

import json

from pytest_releasesafe.findings import Finding


def render(findings: list[Finding], **_: object) -> str:
    return json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False) + "\n"
