"""Dropping a unique, primary key or foreign key constraint the running code may rely on."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration
from pytest_releasesafe.schema.state import Constraint, Index, key

CODE = "RS207"

_RELIED_ON = {
    "unique": "INSERT ... ON CONFLICT on these columns and the guarantee of no duplicates",
    "primary_key": "ON CONFLICT on the key, replication identity and the guarantee of no duplicates",
    "foreign_key": "ON DELETE CASCADE / SET NULL actions and the guarantee that referenced rows exist",
    "exclude": "the guarantee that no two rows overlap",
}


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    if (
        next(ctx.ops(migration, m.DROP_CONSTRAINT), None) is None
        and next(ctx.ops(migration, m.ALTER_TABLE_OTHER), None) is None
    ):
        return  # nothing to judge: skip the walk over every operation
    ops = list(ctx.ops(migration))
    for position, op in enumerate(ops):
        mysql_fk = op.kind == m.ALTER_TABLE_OTHER and op.get("action") == "DROP FOREIGN KEY"
        if not (op.kind == m.DROP_CONSTRAINT or mysql_fk) or op.table_is_new:
            continue
        known = _known_constraint(op, ctx)
        constraint_type = (
            "foreign_key"
            if mysql_fk
            else op.constraint_type or (known.type if known else None) or _named_type(op.constraint)
        )
        if constraint_type == "check":
            continue  # old code does not depend on the database rejecting rows it never writes
        earlier = [o for o in ops[:position] if o.phase == op.phase]
        later = [o for o in ops[position + 1 :] if o.phase == op.phase]
        name = (op.constraint or "").lower()
        if name and any(
            o.kind == m.ADD_CONSTRAINT and (o.constraint or "").lower() == name for o in earlier + later
        ):
            continue  # re-created (e.g. with new ON DELETE rules) or added in this very migration
        if constraint_type and any(_recreated_unnamed(op, o, constraint_type) for o in later):
            continue  # re-created under the naming convention's name (`op.create_foreign_key(None, ...)`)
        candidates = _candidates(op, known, constraint_type, ctx)
        if any(_replaced_by(c, op, o, ctx) for c in candidates for o in later):
            continue  # an equivalent key on the same columns takes over (a PK replacing a unique…)
        if any(_goes_with_a_dropped_column(c, op, later) for c in candidates):
            continue  # the column drop takes the constraint with it: that drop is the break (RS511)
        if op.phase == m.DOWNGRADE and _created_by_this_upgrade(op, known, migration):
            continue  # the exact inverse of this revision's upgrade: the previous code never had it
        if constraint_type is None and any(_recipe_check(op, o) for o in earlier):
            continue  # the NOT NULL recipe: the helper CHECK is dropped once SET NOT NULL took over
        relied_on = _RELIED_ON.get(
            constraint_type or "", "whatever it guaranteed (unique rows, existing references)"
        )
        yield hit(op, relied_on=relied_on, constraint=op.constraint or _mysql_fk_name(op))


def _known_constraint(op: m.Operation, ctx: CheckContext) -> Constraint | None:
    table = ctx.table_before(op)
    return table.constraint(op.constraint) if table is not None and op.constraint else None


def _candidates(
    op: m.Operation, known: Constraint | None, constraint_type: str | None, ctx: CheckContext
) -> list[Constraint]:
    """The catalogue's constraints the drop may remove: the one it names, else (a name computed at
    run time, or one the catalogue holds unnamed, as created inline) every one of its type on the table."""
    if known is not None:
        return [known]
    table = ctx.table_before(op)
    if table is None or constraint_type is None:
        return []
    return [
        c for c in table.constraints if c.type == constraint_type and (c.name is None or not op.constraint)
    ]


def _goes_with_a_dropped_column(dropped: Constraint, drop: m.Operation, later: list[m.Operation]) -> bool:
    """A later DROP COLUMN (same phase, same table) of one of the constraint's columns, or DROP TABLE
    of the table a foreign key references: the constraint goes with it anyway, and dropping it first
    is the usual (MySQL-required) order. The column or table drop is the break, reported on its own."""
    table = (drop.table or "").lower()
    gone = {key(o.column) for o in later if o.kind == m.DROP_COLUMN and (o.table or "").lower() == table}
    if set(dropped.columns) & gone:
        return True
    dropped_tables = {key(o.table) for o in later if o.kind == m.DROP_TABLE}
    return (
        dropped.type == "foreign_key"
        and bool(dropped.references)
        and key(dropped.references) in dropped_tables
    )


def _created_by_this_upgrade(op: m.Operation, known: Constraint | None, migration: Migration) -> bool:
    """A downgrade dropping what the same revision's upgrade added (by name, or the catalogue says
    this file created it)."""
    if known is not None and known.origin.path == op.location.path:
        return True
    name = key(op.constraint)
    return bool(name) and any(
        o.kind == m.ADD_CONSTRAINT and key(o.constraint) == name for o in migration.ops(m.UPGRADE)
    )


# What still gives the guarantee a dropped constraint gave, on the same columns.
_EQUIVALENT = {
    "unique": ("unique", "primary_key", "unique_index"),
    "primary_key": ("primary_key",),
    "foreign_key": ("foreign_key",),
}


def _replaced_by(dropped: Constraint, drop: m.Operation, later: m.Operation, ctx: CheckContext) -> bool:
    if not dropped.columns or (later.table or "").lower() != (drop.table or "").lower():
        return False
    if later.kind == m.ADD_CONSTRAINT:
        kind = later.constraint_type
    elif later.kind == m.CREATE_INDEX and later.unique:
        kind = "unique_index"
    else:
        return False
    if kind not in _EQUIVALENT.get(dropped.type or "", ()):
        return False
    columns = tuple(key(c) for c in later.columns)
    if not columns and later.kind == m.ADD_CONSTRAINT:
        # `ADD CONSTRAINT pk PRIMARY KEY USING INDEX ix`: the index's columns
        index = _using_index(later, ctx)
        columns = index.columns if index is not None else ()
    if kind == "foreign_key" and key(later.references) != key(dropped.references):
        return False
    return bool(columns) and set(columns) == set(dropped.columns)


_USING_INDEX = re.compile(r"USING\s+INDEX\s+[`\"]?([\w$]+)", re.IGNORECASE)


def _using_index(op: m.Operation, ctx: CheckContext) -> Index | None:
    match = _USING_INDEX.search(op.sql or "")
    schema = ctx.schema_before(op)
    return schema.index(match.group(1)) if match and schema is not None else None


def _recreated_unnamed(drop: m.Operation, later: m.Operation, constraint_type: str) -> bool:
    return (
        later.kind == m.ADD_CONSTRAINT
        and later.constraint is None
        and later.constraint_type == constraint_type
        and (later.table or "").lower() == (drop.table or "").lower()
    )


def _recipe_check(drop: m.Operation, earlier: m.Operation) -> bool:
    """`{table}_{column}_not_null`-style helper of a column set NOT NULL earlier in the migration."""
    if earlier.kind != m.SET_NOT_NULL or earlier.table != drop.table or not earlier.column:
        return False
    return earlier.column.lower() in (drop.constraint or "").lower().split("_")


def _named_type(name: str | None) -> str | None:
    """The type a SQL `DROP CONSTRAINT name` does not state, from Postgres' default names
    (`<table>_<column>_check`) and the common `ck_` convention; None when the name does not tell."""
    lowered = (name or "").lower()
    if lowered.endswith(("_check", "_chk")) or lowered.startswith(("ck_", "chk_")):
        return "check"
    return None


_DROP_FOREIGN_KEY = re.compile(r"DROP\s+FOREIGN\s+KEY\s+(?:IF\s+EXISTS\s+)?[`\"]?([\w$]+)", re.IGNORECASE)


def _mysql_fk_name(op: m.Operation) -> str | None:
    """MySQL `DROP FOREIGN KEY name` reaches the checks as a generic ALTER: read the name from its text."""
    match = _DROP_FOREIGN_KEY.search(op.sql or "")
    return match.group(1) if match else None
