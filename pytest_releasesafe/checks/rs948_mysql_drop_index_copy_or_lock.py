"""A statement that only drops indexes, asking MySQL for ALGORITHM=COPY or LOCK=SHARED/EXCLUSIVE."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.locking import statement_key
from pytest_releasesafe.checks.mysql_ddl import options
from pytest_releasesafe.model import Migration, Operation

CODE = "RS948"

# Strongest first: the message names the worst of what was asked.
_EFFECTS = {
    ("LOCK", "EXCLUSIVE"): "the server blocks every read and write of the table until the statement ends.",
    (
        "ALGORITHM",
        "COPY",
    ): "the server copies the whole table row by row, blocking writes until the copy is done.",
    ("LOCK", "SHARED"): "the server blocks every write to the table until the statement ends.",
}


def index_drop_only(op: Operation, statements: dict[tuple, set[str]]) -> bool:
    """Whether every operation of `op`'s statement drops an index (the case this rule owns)."""
    return statements.get(statement_key(op)) == {m.DROP_INDEX}


def statement_kinds(migration: Migration, ctx: CheckContext) -> dict[tuple, set[str]]:
    kinds: dict[tuple, set[str]] = {}
    for op in ctx.ops(migration):
        kinds.setdefault(statement_key(op), set()).add(op.kind)
    return kinds


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    drops = [op for op in ctx.ops(migration, m.DROP_INDEX) if options(op)]
    if not drops:
        return
    statements = statement_kinds(migration, ctx)
    seen: set[tuple] = set()
    for op in drops:
        opts = options(op)
        asked = [effect for effect in _EFFECTS if effect in opts.items()]
        if not asked or op.table_is_new or not index_drop_only(op, statements) or statement_key(op) in seen:
            continue
        seen.add(statement_key(op))
        effect = _EFFECTS[asked[0]]
        yield hit(
            op,
            table=op.qualified_table or "its table",
            options=", ".join(f"{k}={v}" for k, v in asked),
            effect=effect,
        )
