"""The finding record every front end reports and every report format renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int  # 1-based
    column: int  # 1-based
    rule: str  # code, e.g. RS101
    name: str  # kebab name, e.g. create-index-not-concurrently
    severity: str  # error | warning | info
    message: str
    help: str = ""  # the safe alternative, filled with the user's names
    end_line: int = 0  # 0: same as line
    end_column: int = 0  # 0: end of line
    # Area-specific fields rendered into JSON next to the standard ones (e.g. {"flag": "new_checkout"}).
    extra: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line or self.line,
            "end_column": self.end_column or self.column,
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "help": self.help,
        }
        data.update(dict(self.extra))
        return data
