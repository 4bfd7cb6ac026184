"""Suppression comments: `# releasesafe: ignore[RS101] reason` (SQL: `-- releasesafe: ...`).

A trailing suppression applies to findings on its own line; one alone on its line applies to that
line and the one below it (a comment above a statement); `ignore-file[...]` applies to the whole file. A reason is required, and a suppression
that matches nothing is reported, so suppressions cannot silently pile up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PATTERN = re.compile(r"(?:#|--)\s*releasesafe:\s*(ignore|ignore-file)\s*\[([^\]]*)\]\s*(.*)$", re.IGNORECASE)


@dataclass
class Suppression:
    line: int
    column: int
    codes: tuple[str, ...]  # rule codes, or names as written (resolved by the engine)
    reason: str
    file_level: bool
    own_line: bool = True  # the comment is alone on its line (not trailing code)
    used: set[str] = field(default_factory=set)

    def covers(self, code: str, name: str, line: int) -> bool:
        # A trailing comment must never reach the next line: it would hide an unreviewed operation.
        lines = (self.line, self.line + 1) if self.own_line else (self.line,)
        if not (self.file_level or line in lines):
            return False
        from pytest_releasesafe.selectors import matches

        return any(matches(c, code, name) for c in self.codes)


def find(text: str) -> list[Suppression]:
    if "releasesafe:" not in text:
        return []
    found: list[Suppression] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "releasesafe:" not in line:
            continue
        match = _PATTERN.search(line)
        if match is None:
            continue
        codes = tuple(c.strip() for c in match.group(2).split(",") if c.strip())
        reason = match.group(3).strip().rstrip("*/").strip()
        own_line = not line[: match.start()].strip()
        found.append(
            Suppression(
                number, match.start() + 1, codes, reason, match.group(1).lower() == "ignore-file", own_line
            )
        )
    return found
