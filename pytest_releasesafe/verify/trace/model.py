"""The trace records: what one statement did, and the trace of a whole upgrade."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, order=True)
class Lock:
    relation: str  # schema-qualified unless in public
    kind: str  # "table", "index", "sequence"… (see locks.RELKINDS)
    mode: str  # e.g. "AccessExclusiveLock"

    def to_dict(self) -> dict[str, str]:
        return {"relation": self.relation, "kind": self.kind, "mode": self.mode}


@dataclass(frozen=True)
class StatementTrace:
    revision: str
    sql: str
    duration_ms: float
    locks: tuple[Lock, ...]  # taken by this statement (not those held from earlier statements)
    rewrites: tuple[str, ...]  # relations whose relfilenode changed
    blocks: (
        str | None
    )  # "reads" | "writes" | None: strongest lock on a table that existed before the revision
    lock_timeout: int | None  # ms in force while it ran; None when disabled (0)
    # Pre-existing tables locked in a blocking mode, for messages (not part of the JSON format).
    blocked_tables: tuple[str, ...] = field(default=(), compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "revision": self.revision,
            "sql": self.sql,
            "duration_ms": self.duration_ms,
            "locks": [lock.to_dict() for lock in self.locks],
            "rewrites": list(self.rewrites),
            "blocks": self.blocks,
            "lock_timeout": self.lock_timeout,
        }


@dataclass(frozen=True)
class RevisionInfo:
    id: str
    message: str  # the revision's docstring title
    path: str


@dataclass(frozen=True)
class TraceFailure:
    revision: str
    sql: str | None  # the statement that failed, when the failure came from the database
    message: str


@dataclass
class TraceResult:
    revisions: list[RevisionInfo] = field(default_factory=list)  # traced, in upgrade order
    statements: list[StatementTrace] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. a table that could not be seeded
    failure: TraceFailure | None = None
    rows: int = 0

    def for_revision(self, revision: str) -> list[StatementTrace]:
        return [statement for statement in self.statements if statement.revision == revision]

    @property
    def blocking(self) -> list[StatementTrace]:
        return [statement for statement in self.statements if statement.blocks]

    @property
    def ok(self) -> bool:
        return self.failure is None and not self.blocking

    def to_json_list(self) -> list[dict[str, Any]]:
        return [statement.to_dict() for statement in self.statements]
