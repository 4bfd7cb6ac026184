"""A downgrade() that leaves behind what upgrade() created (or does not undo a rename)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.rs801_missing_downgrade import (
    NOT_SCHEMA,
    down_section,
    reversed_changes,
    schema_changes,
)
from pytest_releasesafe.model import Location, Migration, Operation
from pytest_releasesafe.schema.state import key

CODE = "RS802"

# Objects a downgrade drops with SQL. Types and sequences are often dropped through SQLAlchemy
# (`sa.Enum(...).drop(bind)`, `sa.Sequence(...).drop(bind)`), which is no operation the linter reads.
_SQL_DROPPED_OBJECTS = ("extension", "view", "materialized view", "function", "schema")


def _lower(value: str | None) -> str | None:
    return value.lower() if value else None


def _match(down: Operation, kind: str, **wanted: str | None) -> bool:
    """Whether `down` may undo something: same kind, and each known name equal (unknown matches)."""
    if down.kind != kind:
        return False
    for attr, value in wanted.items():
        have = _lower(getattr(down, attr))
        if have is not None and value is not None and have != value:
            return False
    return True


def _drops_view(down: Operation, name: str | None) -> bool:
    """DROP VIEW / DROP MATERIALIZED VIEW of `name` (both read as a view)."""
    return (
        down.kind == m.DROP_OBJECT
        and down.object_type == "view"
        and _match(down, m.DROP_OBJECT, object_name=name)
    )


def _drops_type_of(down: Operation, column: Operation) -> bool:
    """`DROP TYPE t CASCADE` drops every column of type t with it."""
    if down.kind != m.DROP_OBJECT or down.object_type != "type" or not down.object_name or not column.type:
        return False
    if "CASCADE" not in (down.sql or "").upper():
        return False
    unquoted = lambda name: name.replace('"', "").rsplit(".", 1)[-1].lower()  # noqa: E731
    return unquoted(down.object_name) == unquoted(column.type)


def _expected(up: Operation) -> tuple[str, str, Callable[[Operation], bool]] | None:
    """(what upgrade did, the reversing call, a test for a downgrade op that reverses it)."""
    table, column = _lower(up.table), _lower(up.column)
    drops_table = lambda d: _match(d, m.DROP_TABLE, table=table)  # noqa: E731
    # An index may be on a materialized view: dropping the view drops it.
    drops_relation = lambda d: drops_table(d) or _drops_view(d, table)  # noqa: E731
    if up.kind == m.CREATE_TABLE and table:
        return f"creates table {up.qualified_table}", f'op.drop_table("{up.table}")', drops_table
    if up.table_is_new:
        return None  # reversed by dropping the new table, judged above
    if up.kind == m.ADD_COLUMN and table and column:
        return (
            f"adds column {up.qualified_table}.{up.column}",
            f'op.drop_column("{up.table}", "{up.column}")',
            lambda d: (
                drops_table(d)
                or _match(d, m.DROP_COLUMN, table=table, column=column)
                or _drops_type_of(d, up)
            ),
        )
    if up.kind == m.CREATE_INDEX and up.index:
        index = _lower(up.index)
        return (
            f"creates index {up.index}",
            f'op.drop_index("{up.index}", table_name="{up.table}")',
            lambda d: drops_relation(d) or _match(d, m.DROP_INDEX, index=index),
        )
    if up.kind == m.ADD_CONSTRAINT and up.constraint:
        constraint = _lower(up.constraint)
        return (
            f"adds constraint {up.constraint}",
            f'op.drop_constraint("{up.constraint}", "{up.table}")',
            lambda d: drops_table(d) or _match(d, m.DROP_CONSTRAINT, constraint=constraint),
        )
    if up.kind == m.RENAME_TABLE and table and up.new_name:
        new = _lower(up.new_name)
        return (
            f"renames table {up.table} to {up.new_name}",
            f'op.rename_table("{up.new_name}", "{up.table}")',
            lambda d: _match(d, m.RENAME_TABLE, table=new, new_name=table),
        )
    if up.kind == m.RENAME_COLUMN and column and up.new_name:
        new = _lower(up.new_name)
        return (
            f"renames column {up.table}.{up.column} to {up.new_name}",
            f'op.alter_column("{up.table}", "{up.new_name}", new_column_name="{up.column}")',
            lambda d: _match(d, m.RENAME_COLUMN, column=new, new_name=column),
        )
    if up.kind == m.CREATE_OBJECT and up.object_name and up.object_type in _SQL_DROPPED_OBJECTS:
        if "IF NOT EXISTS" in " ".join((up.sql or "").upper().split()):
            return None  # it may have existed before: dropping it on downgrade could break others
        name = _lower(up.object_name)
        kinds = (up.object_type, "view")  # DROP MATERIALIZED VIEW reads as a view
        statement = f"DROP {up.object_type.upper()} {up.object_name}"
        return (
            f"creates {up.object_type} {up.object_name}",
            f'op.execute("{statement}")',
            # Dropping it undoes it; so does re-creating it (CREATE OR REPLACE with the old definition).
            lambda d: (
                d.object_type in kinds
                and (
                    _match(d, m.DROP_OBJECT, object_name=name) or _match(d, m.CREATE_OBJECT, object_name=name)
                )
            ),
        )
    return None


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    down = migration.downgrade
    up_file = migration.reverses  # a down file of its own: the up file beside it
    if migration.kind == "sql":
        if down_section(migration) is None and up_file is None:
            return  # no down step to compare with
    elif migration.kind != "alembic" or not down.present or down.empty or down.raises:
        return  # RS801 reports those
    downgrade_ops = [
        op for op in migration.ops(m.DOWNGRADE) if op.dialects is None or ctx.dialect in op.dialects
    ]
    if any(op.kind == m.UNRECOGNIZED for op in downgrade_ops):
        return  # SQL computed at run time or an op we do not read: it may undo anything
    if migration.kind == "sql" and not any(op.kind not in NOT_SCHEMA for op in downgrade_ops):
        return  # an empty down step: RS801 reports it
    upgrade_ops = reversed_changes(migration, ctx) if up_file is not None else schema_changes(migration, ctx)
    if migration.kind == "alembic":
        steps = ("upgrade()", "downgrade()")
    elif up_file is not None:
        steps = (up_file.path, "this down file")
    else:
        steps = ("The up step", "the down step")
    for position, up in enumerate(upgrade_ops):
        expected = _expected(up)
        if expected is None:
            continue
        did, reverse, reverses = expected
        later_ops = upgrade_ops[position + 1 :]
        if any(reverses(later) for later in later_ops):
            continue  # undone by upgrade() itself (a helper CHECK dropped once SET NOT NULL took over)
        if up.kind == m.CREATE_TABLE and _drops_renamed(up, later_ops, downgrade_ops):
            continue
        if up.kind == m.CREATE_INDEX and _dropped_with_its_constraint(up, later_ops, downgrade_ops):
            continue
        if not any(reverses(d) for d in downgrade_ops) and not _dropped_with_column(up, downgrade_ops, ctx):
            found = hit(
                up,
                did=did,
                reverse=reverse,
                reverse_sql=reverse_sql(up),
                up_step=steps[0],
                down_step=steps[1],
            )
            # Reported in the down file, where the reversing statement goes.
            yield found if up_file is None else Hit(Location(migration.path, 1), found.values, source="sql")


def _drops_renamed(created: Operation, later_ops: list[Operation], downgrade_ops: list[Operation]) -> bool:
    """A table created and then renamed by upgrade() is reversed by dropping it under its last name."""
    names = {_lower(created.table)}
    for op in later_ops:
        if op.kind == m.RENAME_TABLE and _lower(op.table) in names and op.new_name:
            names.add(_lower(op.new_name))
    return any(d.kind == m.DROP_TABLE and _lower(d.table) in names for d in downgrade_ops)


def _dropped_with_its_constraint(
    index: Operation, later_ops: list[Operation], downgrade_ops: list[Operation]
) -> bool:
    """An index attached as a constraint (`ADD CONSTRAINT c UNIQUE USING INDEX i`) belongs to it from
    then on: dropping the constraint drops the index."""
    name = _lower(index.index)
    adopting = {
        _lower(op.constraint)
        for op in later_ops
        if op.kind == m.ADD_CONSTRAINT
        and op.constraint
        and name
        and f"using index {name}" in " ".join((op.sql or "").lower().replace('"', "").split())
    }
    return any(d.kind == m.DROP_CONSTRAINT and _lower(d.constraint) in adopting for d in downgrade_ops)


def reverse_sql(up: Operation) -> str:
    """The reversing statement in SQL, for a .sql file's down step."""
    table = up.qualified_table
    statements = {
        m.CREATE_TABLE: f"DROP TABLE {table};",
        m.ADD_COLUMN: f"ALTER TABLE {table} DROP COLUMN {up.column};",
        m.CREATE_INDEX: f"DROP INDEX {up.index};",
        m.ADD_CONSTRAINT: f"ALTER TABLE {table} DROP CONSTRAINT {up.constraint};",
        m.RENAME_TABLE: f"ALTER TABLE {up.new_name} RENAME TO {up.table};",
        m.RENAME_COLUMN: f"ALTER TABLE {table} RENAME COLUMN {up.new_name} TO {up.column};",
        m.CREATE_OBJECT: f"DROP {(up.object_type or '').upper()} {up.object_name};",
    }
    return statements.get(up.kind, "-- the statement that undoes it")


def _dropped_with_column(up: Operation, downgrade_ops: list[Operation], ctx: CheckContext) -> bool:
    """Dropping a column drops every index and constraint on it: a downgrade that drops the column
    a primary key, unique or index covers has undone that too."""
    if up.kind not in (m.ADD_CONSTRAINT, m.CREATE_INDEX):
        return False
    for down in downgrade_ops:
        if down.kind != m.DROP_COLUMN or _lower(down.table) != _lower(up.table) or not down.column:
            continue
        covered = {key(c) for c in up.columns} | _catalogue_columns(up, down, ctx)
        if key(down.column) in covered:
            return True
    return False


def _catalogue_columns(up: Operation, down: Operation, ctx: CheckContext) -> set[str]:
    schema = ctx.schema_before(down)
    if schema is None:
        return set()
    if up.kind == m.CREATE_INDEX:
        index = schema.index(up.index)
        return set(index.columns) if index is not None else set()
    table = schema.table(up.table)
    constraint = table.constraint(up.constraint) if table is not None and up.constraint else None
    return set(constraint.columns) if constraint is not None else set()
