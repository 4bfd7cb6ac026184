"""BEGIN / COMMIT / ROLLBACK inside a transaction the migration tool (or the file itself) already opened."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration, Operation

CODE = "RS699"
KINDS = frozenset({m.BEGIN, m.COMMIT, m.ROLLBACK})  # the engine skips this check when none occur

_BEGIN_EFFECT = {
    "postgresql": "Postgres ignores it with a warning, and the COMMIT that closes it commits {owner}"
    " transaction, so the rest of the migration runs outside any transaction.",
    "mysql": "MySQL commits the running transaction at once, so everything after it runs outside {owner}"
    " transaction.",
    "sqlite": "SQLite refuses it (cannot start a transaction within a transaction) and the migration fails.",
}
_END_EFFECT = {
    m.COMMIT: "it commits the work so far, and the rest (and the tool's record that the migration ran) runs"
    " outside any transaction: a failure after it leaves the schema half changed and the migration not"
    " recorded, so the next run fails on what already exists.",
    m.ROLLBACK: "it silently undoes the statements before it, and the tool still records the migration as"
    " applied.",
}


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    own_open = None  # the file's own open BEGIN: its COMMIT / ROLLBACK closes it
    phase = None
    runner = "Alembic" if migration.kind == "alembic" else "the migration tool"
    for op in ctx.ops(migration, m.BEGIN, m.COMMIT, m.ROLLBACK):
        if op.phase != phase:
            phase, own_open = op.phase, None
        if op.kind == m.BEGIN:
            if op.in_transaction is True:
                owner = "the file's own" if own_open else f"{runner}'s"
                effect = _BEGIN_EFFECT.get(ctx.dialect, _BEGIN_EFFECT["postgresql"]).format(owner=owner)
                where = (
                    f"opened by the BEGIN on line {own_open.location.line}"
                    if own_open
                    else f"{runner} runs this migration in"
                )
                yield _hit(op, where, effect)
            own_open = own_open or op
            continue
        if own_open:
            own_open = None
        elif op.in_transaction is True:
            yield _hit(op, f"{runner} runs this migration in", _END_EFFECT[op.kind])


def _hit(op: Operation, runner: str, consequence: str) -> Hit:
    statement = {m.BEGIN: "BEGIN", m.COMMIT: "COMMIT", m.ROLLBACK: "ROLLBACK"}[op.kind]
    return hit(op, statement=statement, runner=runner, consequence=consequence)
