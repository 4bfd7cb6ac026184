"""A break: something the old code does that fails on the new schema, with the safe way to ship it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Kinds found by comparing schemas, and the probe operations (the statements the old code runs).
MISSING_TABLE = "missing-table"
MISSING_COLUMN = "missing-column"
NARROWED_TYPE = "narrowed-type"
NOW_NOT_NULL = "now-not-null"
NEW_REQUIRED_COLUMN = "new-required-column"
PROBE_FAILED = "probe-failed"


@dataclass(frozen=True)
class Revision:
    id: str
    message: str
    path: str  # relative to the project root

    def label(self) -> str:
        return f"{self.id} ({self.message})" if self.message else self.id


@dataclass(frozen=True)
class Break:
    kind: str
    table: str
    column: str | None  # None: the whole table (or a column we could not tell)
    operation: str  # "schema" for static findings, else INSERT | SELECT | UPDATE | DELETE
    model: str | None  # "User.email" when the old code maps it through an ORM class
    message: str
    error: str = ""  # the database's own words, first line
    renamed_to: str | None = None
    revision: Revision | None = None  # the new revision that introduced it
    fresh_only: bool = False  # seen only on a database built from scratch, not when upgrading the old head

    @property
    def key(self) -> tuple[str, str, str | None, str]:
        """Stable across databases and runs (no generated values): used to compare schema states."""
        return (self.kind, self.table, self.column, self.operation)

    @property
    def target(self) -> str:
        return f"{self.table}.{self.column}" if self.column else self.table

    def advice(self) -> str:
        target = self.target
        if self.kind == MISSING_COLUMN and self.renamed_to:
            new = f"{self.table}.{self.renamed_to}"
            return (
                f"Rename in two releases (expand/contract): add {new} and keep {target}; make this release "
                f"write both and read {new}, backfill; drop {target} in a later release, once no running "
                "release maps it."
            )
        if self.kind == MISSING_COLUMN:
            return (
                f"Keep {target} until the release that stops using it is the oldest one running: first ship "
                f"code that no longer maps it (make it nullable or give it a server default), then drop it "
                "in the next release's migration."
            )
        if self.kind == MISSING_TABLE:
            return (
                f"Keep table {target} in this release; drop it in a later release, after every running "
                "release has stopped mapping it."
            )
        if self.kind == NEW_REQUIRED_COLUMN:
            return (
                f"Add {target} as nullable or with a server_default, backfill it, and set NOT NULL in a "
                "later release, when no running code inserts rows without it."
            )
        if self.kind == NOW_NOT_NULL:
            return (
                f"Give {target} a server_default before making it NOT NULL, or make it NOT NULL only after "
                "the release that always writes it is the oldest one running."
            )
        if self.kind == NARROWED_TYPE:
            return (
                f"Keep the wider type of {target} while the old code runs: add a new column with the new "
                "type, write both, backfill, switch reads, and drop the old column in a later release."
            )
        return (
            f"Make the change to {target} additive in this release (expand) and remove what the old code "
            "uses only in a later release (contract)."
        )


def first_line(error: BaseException | str, limit: int = 300) -> str:
    """The database's message without SQLAlchemy's statement dump and background link."""
    original = getattr(error, "orig", None)
    args: tuple[Any, ...] = getattr(original, "args", ())
    if len(args) == 2 and isinstance(args[0], int):  # MySQL drivers: (code, message)
        return first_line(f"{args[1]} (MySQL error {args[0]})", limit)
    text = str(original or error).strip()
    line = text.splitlines()[0] if text else type(error).__name__
    return line if len(line) <= limit else line[: limit - 1] + "…"
