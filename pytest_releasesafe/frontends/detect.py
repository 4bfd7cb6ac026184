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


def is_unreadable_revision(text: str) -> bool:
    """A `.py` with a `def upgrade(` that Python cannot parse: maybe a revision, certainly not read.

    Its `down_revision` may be what is broken, so the revision test above cannot decide; it is reported
    as a syntax error rather than skipped as application code.
    """
    if not _UPGRADE_DEF.search(text):
        return False
    import ast

    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return True
    return False
