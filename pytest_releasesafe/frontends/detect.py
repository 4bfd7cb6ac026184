"""Cheap, import-free tests for what a file is (kept out of the parsers so warm runs stay fast)."""

from __future__ import annotations

import re

_REVISION_ASSIGNMENT = re.compile(r"^\s*down_revision\b[^=\n]*=", re.M)
_UPGRADE_DEF = re.compile(r"^(?:async\s+)?def\s+upgrade\w*\s*\(", re.M)


def is_revision_file(text: str) -> bool:
    """An Alembic revision, by content: a `down_revision = ...` assignment and a `def upgrade(`."""
    return (
        "down_revision" in text
        and bool(_REVISION_ASSIGNMENT.search(text))
        and bool(_UPGRADE_DEF.search(text))
    )
