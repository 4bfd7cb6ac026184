"""downgrade() missing, empty or raising while upgrade() changes the schema."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
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
    return [
        op
        for op in migration.ops(phase)
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


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    if migration.kind == "sql":
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
    if not changes:
        return
    where = down.location if down.present and down.location else migration.upgrade.location
    assert where is not None
    revision = f"Revision {migration.revision}" if migration.revision else "This revision"
    yield _hit(where, problem, changes, revision, "alembic")


def _check_down_section(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    """The SQL form of an empty downgrade(): a down marker with nothing under it."""
    where = down_section(migration)
    if where is None or schema_changes(migration, ctx, m.DOWNGRADE):
        return
    changes = schema_changes(migration, ctx)
    if changes:
        name = migration.path.rsplit("/", 1)[-1]
        yield _hit(where, "its down step is empty", changes, name, "sql")


def _hit(where: Location, problem: str, changes: list[Operation], revision: str, source: str) -> Hit:
    first = changes[0]
    change = first.kind.replace("_", " ") + (f" on {first.qualified_table}" if first.table else "")
    values = {"problem": problem, "change": change, "count": len(changes), "revision": revision}
    return Hit(where, values, source=source)
