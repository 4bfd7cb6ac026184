"""Which operations take which table lock, and how a migration splits into transactions.

Shared by the lock, data-change and MySQL rules so they agree on what "lock-taking DDL" means.
Lock levels follow the Postgres manual ("Explicit Locking" and each command's page); MySQL takes an
exclusive metadata lock for every ALTER TABLE, however brief the change itself is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from pytest_releasesafe import model as m
from pytest_releasesafe.model import Migration, Operation

if TYPE_CHECKING:
    from pytest_releasesafe.checks.base import CheckContext

ACCESS_EXCLUSIVE = "ACCESS EXCLUSIVE"
SHARE_ROW_EXCLUSIVE = "SHARE ROW EXCLUSIVE"
SHARE = "SHARE"

# ALTER TABLE sub-commands and other statements that take ACCESS EXCLUSIVE on their table.
_ACCESS_EXCLUSIVE_KINDS = frozenset(
    {
        m.ADD_COLUMN,
        m.DROP_COLUMN,
        m.ALTER_COLUMN_TYPE,
        m.SET_NOT_NULL,
        m.DROP_NOT_NULL,
        m.SET_DEFAULT,
        m.DROP_DEFAULT,
        m.RENAME_COLUMN,
        m.RENAME_TABLE,
        m.DROP_TABLE,
        m.DROP_CONSTRAINT,
        m.TRUNCATE,
        m.SET_TABLESPACE,
        m.SET_LOGGED,
        m.VACUUM_FULL,
        m.CLUSTER,
        m.ALTER_TABLE_OTHER,
    }
)

# Statements that change a table's definition (one ALTER TABLE could carry several of them).
ALTER_TABLE_KINDS = frozenset(
    {
        m.ADD_COLUMN,
        m.DROP_COLUMN,
        m.ALTER_COLUMN_TYPE,
        m.SET_NOT_NULL,
        m.DROP_NOT_NULL,
        m.SET_DEFAULT,
        m.DROP_DEFAULT,
        m.ADD_CONSTRAINT,
        m.DROP_CONSTRAINT,
        m.ALTER_TABLE_OTHER,
    }
)

# Statements whose run time grows with the table: holding a lock across them is what hurts.
_SLOW_KINDS = frozenset(
    {m.DATA_CHANGE, m.VALIDATE_CONSTRAINT, m.VACUUM_FULL, m.CLUSTER, m.REINDEX, m.SET_TABLESPACE}
)


def lock_mode(op: Operation, dialect: str = "postgresql") -> str | None:
    """The table lock `op` takes on an existing table, or None when it takes none worth waiting for.

    A table created earlier in the same migration is empty and invisible to other sessions: no lock
    on it can block anyone.
    """
    if op.table_is_new:
        return None
    if dialect == "mysql":
        # Every table DDL on MySQL/MariaDB waits for an exclusive metadata lock.
        if op.kind in _ACCESS_EXCLUSIVE_KINDS or op.kind in (
            m.ADD_CONSTRAINT,
            m.CREATE_INDEX,
            m.DROP_INDEX,
            m.RENAME_OBJECT,
            m.LOCK_TABLE,
        ):
            return "exclusive metadata lock"
        return None
    if op.kind == m.ALTER_TABLE_OTHER and op.object_type == "partition" and op.concurrently is True:
        return None  # DETACH PARTITION ... CONCURRENTLY: SHARE UPDATE EXCLUSIVE, reads and writes go on
    if op.kind in _ACCESS_EXCLUSIVE_KINDS:
        return ACCESS_EXCLUSIVE
    if op.kind == m.ADD_CONSTRAINT:
        return SHARE_ROW_EXCLUSIVE if op.constraint_type == "foreign_key" else ACCESS_EXCLUSIVE
    if op.kind == m.CREATE_INDEX:
        return None if op.concurrently is True else SHARE
    if op.kind == m.DROP_INDEX:
        return None if op.concurrently is True else ACCESS_EXCLUSIVE
    if op.kind == m.REINDEX:
        return None if op.concurrently is True else SHARE
    if op.kind == m.LOCK_TABLE:
        return str(op.get("mode") or ACCESS_EXCLUSIVE).upper()
    if op.kind == m.RENAME_OBJECT and op.object_type == "constraint":
        return ACCESS_EXCLUSIVE
    if op.kind == m.DROP_OBJECT and op.object_type == "trigger" and op.table:
        return ACCESS_EXCLUSIVE  # measured on Postgres 15: DROP TRIGGER t ON tbl takes it on tbl
    return None


# What other sessions can no longer do on a table while a lock mode is held (Postgres's lock
# conflict table): messages say "reads and writes wait" only where reads really do.
_BLOCKED_BY_MODE = {
    ACCESS_EXCLUSIVE: "every query on {table}, reads included, waits",
    "EXCLUSIVE": "every write to {table} waits (plain reads go on)",
    SHARE_ROW_EXCLUSIVE: "every write to {table} waits (reads go on)",
    SHARE: "every write to {table} waits (reads go on)",
    "SHARE UPDATE EXCLUSIVE": "other schema changes and VACUUM on {table} wait",
}


def lock_held(mode: str) -> str:
    """`mode` with its article: "an ACCESS EXCLUSIVE lock", "a SHARE lock"."""
    return f"{'an' if mode[:1] in 'AEIOU' else 'a'} {mode} lock"


def lock_blocks(mode: str, table: str) -> str:
    """What the application can no longer do on `table` while `mode` is held."""
    return _BLOCKED_BY_MODE.get(mode, "schema changes on {table} wait").format(table=table)


# Every kind `is_slow` may accept.
SLOW_CANDIDATES = (*_SLOW_KINDS, m.CREATE_INDEX, m.ALTER_COLUMN_TYPE, m.ADD_CONSTRAINT)


def is_slow(op: Operation) -> bool:
    """Whether `op` may run for a long time on a big table (scans, rewrites, data changes)."""
    if op.table_is_new and op.kind != m.DATA_CHANGE:
        return False
    if op.kind == m.DATA_CHANGE:
        return is_bulk_data_change(op)
    if op.kind in _SLOW_KINDS:
        return True
    if op.kind == m.CREATE_INDEX:
        return True
    if op.kind == m.ALTER_COLUMN_TYPE:
        return True
    if op.kind == m.ADD_CONSTRAINT:
        # A validated CHECK / FOREIGN KEY / UNIQUE / PRIMARY KEY scans every row.
        return op.not_valid is not True and not op.get("using_index")
    return False


def is_bulk_data_change(op: Operation) -> bool:
    """UPDATE / DELETE / MERGE / INSERT ... SELECT: may touch many rows. A plain INSERT of literal
    rows (seed data, `op.bulk_insert`) does not, and neither does UPDATE/DELETE on a table created
    in this migration (it is still empty)."""
    statement = str(op.get("statement") or "").upper()
    if op.get("bulk_insert") or statement in ("INSERT", "BULK INSERT"):
        return False
    if op.table_is_new and statement != "INSERT SELECT":
        return False
    return True


def has_any(migration: Migration, ctx: CheckContext, *kinds: str) -> bool:
    """Whether the migration has a judged operation of one of these kinds (cheap: indexed by kind)."""
    return any(next(ctx.ops(migration, kind), None) is not None for kind in kinds)


def transactions(ops: Iterable[Operation]) -> Iterator[list[Operation]]:
    """Split operations into the transactions they run in.

    Operations run outside a transaction (autocommit, `autocommit_block()`) each stand alone; an
    explicit BEGIN/COMMIT/ROLLBACK closes the running transaction.
    """
    current: list[Operation] = []
    for op in ops:
        if current and op.phase != current[-1].phase:  # upgrade and downgrade never share one
            yield current
            current = []
        if op.kind in (m.BEGIN, m.COMMIT, m.ROLLBACK):
            if current:
                yield current
            current = []
            continue
        if op.in_transaction is not True:
            if current:
                yield current
                current = []
            yield [op]
            continue
        if current and op.get("own_transaction") != current[-1].get("own_transaction"):
            yield current  # one DO block run outside a transaction is a transaction of its own
            current = []
        current.append(op)
    if current:
        yield current


def statement_key(op: Operation) -> tuple[int, int, str | None]:
    """Operations from one statement (`ALTER TABLE t ADD a, ADD b`) share location and text."""
    return (op.location.line, op.location.column, op.sql)


def table_key(op: Operation) -> str | None:
    if not op.table:
        return None
    return f"{(op.schema or '').lower()}.{op.table.lower()}"
