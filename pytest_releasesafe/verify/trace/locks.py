"""What PostgreSQL's table lock modes block, and what pg_class.relkind letters mean.

Other sessions read a table with AccessShareLock (SELECT) and write it with RowExclusiveLock
(INSERT/UPDATE/DELETE). A lock blocks reads when it conflicts with AccessShareLock, and writes when
it conflicts with RowExclusiveLock (PostgreSQL docs, "Table-Level Lock Modes").
"""

from __future__ import annotations

# Weakest first; the order is the documented conflict ladder.
LOCK_MODES: tuple[str, ...] = (
    "AccessShareLock",
    "RowShareLock",
    "RowExclusiveLock",
    "ShareUpdateExclusiveLock",
    "ShareLock",
    "ShareRowExclusiveLock",
    "ExclusiveLock",
    "AccessExclusiveLock",
)

_BLOCKS: dict[str, str | None] = {
    "AccessShareLock": None,
    "RowShareLock": None,
    "RowExclusiveLock": None,
    "ShareUpdateExclusiveLock": None,
    "ShareLock": "writes",
    "ShareRowExclusiveLock": "writes",
    "ExclusiveLock": "writes",
    "AccessExclusiveLock": "reads",  # conflicts with everything: blocks reads and writes
}

_SEVERITY = {None: 0, "writes": 1, "reads": 2}

RELKINDS: dict[str, str] = {
    "r": "table",
    "p": "partitioned table",
    "i": "index",
    "I": "partitioned index",
    "S": "sequence",
    "v": "view",
    "m": "materialized view",
    "t": "toast table",
    "f": "foreign table",
    "c": "composite type",
}

# Relations other sessions read and write rows of: the ones whose blocking matters.
TABLE_RELKINDS = frozenset({"r", "p", "m"})


def blocks(mode: str) -> str | None:
    """ "reads" (blocks reads and writes), "writes" (blocks writes only) or None."""
    return _BLOCKS.get(mode)


def worst(verdicts: list[str | None]) -> str | None:
    """The strongest of several `blocks` verdicts."""
    return max(verdicts, key=lambda verdict: _SEVERITY[verdict], default=None)


def strength(mode: str) -> int:
    """Position on the conflict ladder; unknown modes (advisory, page…) sort first."""
    return LOCK_MODES.index(mode) if mode in LOCK_MODES else -1
