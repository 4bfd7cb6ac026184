"""Grade a finding by the size of its table in production, and say how long it would hold the lock.

Only rules whose cost grows with the table are graded (an index build, a validation scan, a table
rewrite, an unbatched UPDATE). Rules about breaking the running code (drops, renames) are as bad on
an empty table as on a full one and keep their severity. A table missing from the statistics, or
never analyzed, keeps the rule's severity: unknown is never guessed small.

The duration range is a rough estimate from throughputs typical of a production server (SSD,
default maintenance_work_mem); it tells a 2-second lock from a 2-hour one, no finer.
"""

from __future__ import annotations

from dataclasses import dataclass

from pytest_releasesafe.sizes.stats_file import TableSize, TableStats

MB = 1024 * 1024

# What the statement does to the whole table -> bytes per second (slow, fast) it gets through.
_THROUGHPUT = {
    "scan": (200 * MB, 1000 * MB),  # read every row once (VALIDATE, SET NOT NULL)
    "build": (20 * MB, 100 * MB),  # read, sort and write an index
    "rewrite": (30 * MB, 150 * MB),  # write a new copy of the table and rebuild its indexes
}
_ROWS_PER_SECOND = {"update": (10_000, 100_000)}  # one UPDATE/DELETE over every matching row

# Rule code -> the work whose cost grows with the table.
SIZE_SENSITIVE: dict[str, str] = {
    "RS101": "build",
    "RS104": "build",
    "RS204": "build",
    "RS205": "build",
    "RS206": "build",
    "RS201": "scan",
    "RS202": "scan",
    "RS302": "scan",
    "RS303": "rewrite",
    "RS401": "rewrite",
    "RS402": "rewrite",
    "RS403": "rewrite",
    "RS404": "rewrite",
    "RS405": "rewrite",
    "RS406": "rewrite",
    "RS701": "update",
    "RS901": "rewrite",
    "RS902": "rewrite",
    "RS903": "rewrite",
}
# Fails on any row at all, harmless on an empty table (ADD COLUMN NOT NULL without a default).
EMPTY_TABLE_ONLY = {"RS301"}


@dataclass(frozen=True)
class Thresholds:
    small_rows: int = 10_000  # below: info
    large_rows: int = 1_000_000  # at or above: error; in between: warning


@dataclass(frozen=True)
class Graded:
    severity: str
    note: str  # appended to the message


class SizeGrader:
    def __init__(self, stats: TableStats, thresholds: Thresholds) -> None:
        self.stats = stats
        self.thresholds = thresholds

    def grade(self, code: str, table: str | None, schema: str | None) -> Graded | None:
        work = SIZE_SENSITIVE.get(code)
        if work is None and code not in EMPTY_TABLE_ONLY:
            return None
        size = self.stats.lookup(table, schema)
        if size is None or size.rows is None:
            return None
        shown = f"{table} holds about {_rows(size.rows)} rows ({_bytes(size.table_bytes)}) in production"
        if code in EMPTY_TABLE_ONLY:
            if size.rows == 0:
                return Graded("info", f"({table} is empty in production.)")
            return None
        assert work is not None  # a code without work is in EMPTY_TABLE_ONLY, handled above
        severity = self._severity(size.rows)
        return Graded(severity, f"({shown}: expect {_duration(work, size)}.)")

    def _severity(self, rows: int) -> str:
        if rows < self.thresholds.small_rows:
            return "info"
        return "error" if rows >= self.thresholds.large_rows else "warning"


def _duration(work: str, size: TableSize) -> str:
    if work in _ROWS_PER_SECOND:
        slow, fast = _ROWS_PER_SECOND[work]
        amount = size.rows or 0
    else:
        slow, fast = _THROUGHPUT[work]
        amount = size.table_bytes + (size.index_bytes if work == "rewrite" else 0)
    low, high = amount / fast, amount / slow
    if high < 1:
        return "well under a second"
    return f"roughly {_seconds(low)} to {_seconds(high)}"


def _seconds(value: float) -> str:
    if value < 1:
        return "under a second"
    if value < 90:
        return f"{value:.0f} s"
    if value < 90 * 60:
        return f"{value / 60:.0f} min"
    return f"{value / 3600:.1f} h"


def _rows(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f} M"
    if count >= 10_000:
        return f"{count / 1000:.0f} k"
    return str(count)


def _bytes(count: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", MB), ("kB", 1024)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"
