"""downgrade() missing, empty or raising while upgrade() changes the schema."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks import column_types
from pytest_releasesafe.checks.base import CheckContext, Hit
from pytest_releasesafe.model import Location, Migration, Operation

CODE = "RS801"

# Operations that leave the schema as it was.
NOT_SCHEMA = {
    m.SELECT,
    m.SET_SETTING,
    m.COMMENT,
    m.GRANT,
    m.OTHER,
    m.DATA_CHANGE,
    m.BEGIN,
    m.COMMIT,
    m.ROLLBACK,
    m.UNRECOGNIZED,
    m.VALIDATE_CONSTRAINT,  # only proves existing rows; there is nothing to undo
    # Maintenance and locks change how the data is stored or accessed, not the schema.
    m.VACUUM_FULL,
    m.CLUSTER,
    m.REINDEX,
    m.LOCK_TABLE,
    m.TRUNCATE,
}


def schema_changes(migration: Migration, ctx: CheckContext, phase: str = m.UPGRADE) -> list[Operation]:
    """Schema-changing operations of one phase that run on the target dialect."""
    return _changing(migration.ops(phase), ctx)


def _changing(operations: Iterable[Operation], ctx: CheckContext) -> list[Operation]:
    return [
        op
        for op in operations
        if op.kind not in NOT_SCHEMA and (op.dialects is None or ctx.dialect in op.dialects)
    ]


def down_section(migration: Migration) -> Location | None:
    """Where a .sql file's in-file down step starts (`-- +goose Down`, `-- +migrate Down`,
    `-- migrate:down`), when the file has an up step too."""
    sections = migration.facts.get("sections") or ()
    phases = {phase for _, phase in sections}
    if migration.kind != "sql" or phases != {m.UPGRADE, m.DOWNGRADE}:
        return None
    line = next(line for line, phase in sections if phase == m.DOWNGRADE)
    return Location(migration.path, line)


def reversed_changes(migration: Migration, ctx: CheckContext) -> list[Operation]:
    """For a separate down file: the schema changes of the up file it reverses (none otherwise)."""
    up = migration.reverses
    return [] if up is None else _changing((op for op in up.operations if op.phase == m.UPGRADE), ctx)


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    if migration.kind == "sql":
        if migration.reverses is not None:
            yield from _check_down_file(migration, ctx)
        else:
            yield from _check_down_section(migration, ctx)
        return
    if migration.kind != "alembic" or not migration.upgrade.present:
        return
    down = migration.downgrade
    if not down.present:
        problem = "has no downgrade()"
    elif down.raises:
        problem = "has a downgrade() that raises"
    elif down.empty:
        problem = "has an empty downgrade()"
    else:
        return  # a real downgrade: RS802 judges whether it undoes the upgrade
    changes = schema_changes(migration, ctx)
    if not changes or all(_rollback_tolerates(op, ctx) for op in changes):
        return
    where = down.location if down.present and down.location else migration.upgrade.location
    assert where is not None
    revision = f"Revision {migration.revision}" if migration.revision else "This revision"
    hit = _hit(where, problem, changes, revision, "alembic")
    if down.raises or _says_irreversible(down.remarks):
        # Acknowledged, as strong_migrations' `irreversible`: a choice to record, not a mistake to gate on.
        yield Hit(hit.location, {**hit.values, "variant": "acknowledged"}, severity="info", source=hit.source)
    else:
        yield hit


def _rollback_tolerates(op: Operation, ctx: CheckContext) -> bool:
    """A change the previous release works with and that running the upgrade again redoes without
    error: a widening, a dropped NOT NULL, a new default. Left in place by a rollback, it harms nothing."""
    if op.kind in (m.DROP_NOT_NULL, m.SET_DEFAULT):
        return True
    if op.kind == m.SET_NOT_NULL and op.get("existing_nullable") is False:
        return True  # `nullable=False, existing_nullable=False`: restated, not changed
    if op.kind != m.ALTER_COLUMN_TYPE or op.get("using"):
        return False
    if op.source == "alembic":
        new = column_types.size(op.get("type_source") or op.type, "alembic", ctx.dialect)
        old_source, old_form = op.get("existing_type_source"), "alembic"
    else:
        new = column_types.size(op.type, "sql", ctx.dialect)
        old_source, old_form = op.old_type, "sql"
    if not old_source:
        column = ctx.column_before(op)
        old_source, old_form = (column.type, column.type_source) if column is not None else (None, "sql")
    return column_types.widens(column_types.size(old_source, old_form, ctx.dialect), new)


# "irreversible", "cannot be downgraded", "no downgrade", "omit downgrade logic", "one cannot re-add",
# "keep these columns as MEDIUMTEXT", "leaving the column type as VARCHAR": the author chose so.
_IRREVERSIBLE = re.compile(
    r"irreversib|not reversible|one[- ]way|NotImplementedError"
    r"|\b(?:no|not|cannot|can't|can ?not|won't|don't|never|omit\w*|skip\w*|nothing to)\b[^.\n]{0,40}?"
    r"\b(?:downgrad\w*|revers\w*|revert\w*|undo\w*|undone|roll ?back|re-?add\w*|restor\w*)"
    r"|\b(?:keep|keeping|leave|leaving)\b[^.\n]{0,40}?\b(?:as|in place|unchanged)\b",
    re.IGNORECASE,
)


def _says_irreversible(remarks: str) -> bool:
    return bool(_IRREVERSIBLE.search(remarks))


def _check_down_section(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    """The SQL form of an empty downgrade(): a down marker with nothing under it."""
    where = down_section(migration)
    if where is None or schema_changes(migration, ctx, m.DOWNGRADE):
        return
    changes = schema_changes(migration, ctx)
    if changes:
        name = migration.path.rsplit("/", 1)[-1]
        yield _hit(where, "its down step is empty", changes, name, "sql")


def _check_down_file(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    """A down file of its own (Diesel `down.sql`, `*.down.sql`, Flyway `U*`, sqitch `revert/`)
    that changes nothing while the up file beside it changes the schema."""
    downs = migration.ops(m.DOWNGRADE)
    if any(op.kind == m.UNRECOGNIZED for op in downs) or schema_changes(migration, ctx, m.DOWNGRADE):
        return  # it undoes something (RS802 judges what), or SQL we cannot read may undo anything
    changes = reversed_changes(migration, ctx)
    if not changes or all(_rollback_tolerates(op, ctx) for op in changes):
        return
    from pytest_releasesafe.checks.rs802_downgrade_does_not_reverse import reverse_sql

    assert migration.reverses is not None
    problem = "the down file beside it changes nothing" if downs else "the down file beside it is empty"
    found = _hit(Location(migration.path, 1), problem, changes, migration.reverses.path, "sql")
    undo = list(dict.fromkeys(reverse_sql(op) for op in reversed(changes)))
    yield Hit(
        found.location,
        {**found.values, "variant": "down_file", "reverse_sql": "\n    ".join(undo)},
        source="sql",
    )


def _hit(where: Location, problem: str, changes: list[Operation], revision: str, source: str) -> Hit:
    first = changes[0]
    change = first.kind.replace("_", " ") + (f" on {first.qualified_table}" if first.table else "")
    values = {"problem": problem, "change": change, "count": len(changes), "revision": revision}
    return Hit(where, values, source=source)
