"""The committed statistics file: `releasesafe-stats.json`.

    {"format": 1, "dialect": "postgresql", "collected_at": "2026-12-03T12:00:00Z",
     "tables": {"public.users": {"rows": 1200345, "table_bytes": 262144000, "index_bytes": 52428800}}}

`rows` is the planner's estimate (null when the table was never analyzed); sizes are bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = 1
DEFAULT_NAME = "releasesafe-stats.json"


class StatsFileError(ValueError):
    """The statistics file is missing, unreadable or malformed; the message names it."""


@dataclass(frozen=True)
class TableSize:
    rows: int | None
    table_bytes: int
    index_bytes: int


@dataclass(frozen=True)
class TableStats:
    dialect: str
    tables: dict[str, TableSize]  # "schema.table" (lowercase) -> size

    def lookup(self, table: str | None, schema: str | None = None) -> TableSize | None:
        """The size of `schema.table`; without a schema, the table of that name if only one exists."""
        if not table:
            return None
        name = table.lower()
        if schema:
            return self.tables.get(f"{schema.lower()}.{name}")
        matches = [size for key, size in self.tables.items() if key.rpartition(".")[2] == name]
        if len(matches) == 1:
            return matches[0]
        return self.tables.get(f"public.{name}")  # Postgres' default search_path


def dump(dialect: str, tables: dict[str, TableSize], collected_at: str) -> str:
    """The file's text: one line per table, so a committed file diffs one table per line."""
    head = {"format": FORMAT, "dialect": dialect, "collected_at": collected_at}
    lines = [json.dumps(head)[:-1] + ', "tables": {']
    entries = [
        f"  {json.dumps(key)}: "
        + json.dumps({"rows": size.rows, "table_bytes": size.table_bytes, "index_bytes": size.index_bytes})
        for key, size in sorted(tables.items())
    ]
    lines.append(",\n".join(entries))
    lines.append("}}")
    return "\n".join(line for line in lines if line) + "\n"


def load(path: Path) -> TableStats:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StatsFileError(
            f"{path}: statistics file not found (make one with `releasesafe stats`)"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise StatsFileError(f"{path}: cannot read statistics: {error}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("tables"), dict):
        raise StatsFileError(f"{path}: not a releasesafe statistics file (format {FORMAT})")
    tables: dict[str, TableSize] = {}
    for key, entry in data["tables"].items():
        tables[str(key).lower()] = _size(path, key, entry)
    return TableStats(str(data.get("dialect", "")), tables)


def _size(path: Path, key: str, entry: Any) -> TableSize:
    if not isinstance(entry, dict):
        raise StatsFileError(f"{path}: tables.{key} must be an object")
    rows = entry.get("rows")
    values = [rows, entry.get("table_bytes", 0), entry.get("index_bytes", 0)]
    if not all(v is None or (isinstance(v, int) and not isinstance(v, bool) and v >= 0) for v in values):
        raise StatsFileError(f"{path}: tables.{key}: rows and sizes must be whole numbers >= 0")
    return TableSize(rows, entry.get("table_bytes", 0), entry.get("index_bytes", 0))
