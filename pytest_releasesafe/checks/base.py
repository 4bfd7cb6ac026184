"""What a check receives and returns."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pytest_releasesafe.model import (
    DOWNGRADE,
    RENAME_COLUMN,
    RENAME_TABLE,
    UPGRADE,
    Location,
    Migration,
    Operation,
)

if TYPE_CHECKING:
    from pytest_releasesafe.schema.state import Column, Origin, Schema, Table


@dataclass(frozen=True)
class Hit:
    """One violation: where, and the names that fill the rule's message and help templates."""

    location: Location
    values: dict[str, Any] = field(default_factory=dict)
    op: Operation | None = None
    severity: str | None = None  # override the rule's severity for this hit (e.g. unknown -> warning)
    source: str = ""  # "alembic" | "sql": picks help_alembic / help_sql


@dataclass(frozen=True)
class CheckContext:
    dialect: str = "postgresql"
    target_version: int = 15
    phases: frozenset[str] = frozenset({"upgrade"})
    options: dict[str, Any] = field(default_factory=dict)  # rule options from [tool.releasesafe]
    # The schema catalogue's state before each operation of the file being judged, by id(op); the
    # engine fills it per file. Empty (every lookup None, "unknown") when a check runs on its own.
    schemas: dict[int, Schema] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def schema_before(self, op: Operation) -> Schema | None:
        """The schema as the replayed history left it just before `op`; None: not known."""
        return self.schemas.get(id(op))

    def table_before(self, op: Operation, table: str | None = None) -> Table | None:
        schema = self.schemas.get(id(op))
        return schema.table(table or op.table) if schema is not None else None

    def column_before(self, op: Operation, column: str | None = None) -> Column | None:
        table = self.table_before(op)
        return table.column(column or op.column) if table is not None else None

    def column_is_unreleased(self, op: Operation) -> bool:
        """Added by a migration not released yet (see `--diff`): no running code reads it."""
        column = self.column_before(op)
        return column is not None and column.origin.unreleased and column.origin.path != op.location.path

    def made_by_this_migration(self, migration: Migration, op: Operation, made: Origin | None) -> bool:
        """A downgrade step changing an object (`made`: where it came from) that this migration
        made: its upgrade (or, for a down file of its own, the up file beside it), or the downgrade
        itself earlier on. The release the rollback returns to never had it under that name, so
        dropping or renaming it cannot break that release: it is the rollback doing its job."""
        if op.phase != DOWNGRADE or made is None:
            return False
        up = migration.reverses
        return made.path == op.location.path or (up is not None and made.path == up.path)

    def reverses_own_rename(self, migration: Migration, op: Operation) -> bool:
        """A downgrade step renaming back what the upgrade it reverses renamed: the release it
        returns to reads the old name again."""
        if op.phase != DOWNGRADE or not op.new_name:
            return False
        ups = migration.ops(UPGRADE) + list(migration.reverses.operations if migration.reverses else ())
        renamed = [up for up in ups if up.kind == op.kind and up.table and up.new_name]
        if op.kind == RENAME_TABLE:
            return any(_same(up.table, op.new_name) and _same(up.new_name, op.table) for up in renamed)
        if op.kind != RENAME_COLUMN:
            return False
        # The upgrade may have renamed the table too (and the downgrade renames it back first): a
        # table is known by each of the names the upgrade gave it.
        names = {(op.table or "").lower()}
        for up in ups:
            if up.kind == RENAME_TABLE and up.table and up.new_name:
                if up.table.lower() in names or up.new_name.lower() in names:
                    names |= {up.table.lower(), up.new_name.lower()}
        return any(
            (up.table or "").lower() in names
            and _same(up.column, op.new_name)
            and _same(up.new_name, op.column)
            for up in renamed
        )

    def ops(self, migration: Migration, *kinds: str) -> Iterator[Operation]:
        """Operations of the judged phases that run on the target dialect, optionally of some kinds."""
        # A plain iterator, not a generator: checks call this ~60 times a file.
        judged, by_kind = self._judged(migration)
        if not kinds:
            return iter(judged)
        if len(kinds) == 1:
            return iter(by_kind.get(kinds[0], ()))
        wanted = set(kinds)
        return (op for op in judged if op.kind in wanted)

    def kinds_present(self, migration: Migration) -> set[str]:
        """Kinds of the judged operations: a check declaring KINDS none of which occur is skipped."""
        return set(self._judged(migration)[1])

    def _judged(self, migration: Migration) -> tuple[list[Operation], dict[str, list[Operation]]]:
        # Every check asks for operations; filter once per migration, not once per check.
        key = (self.phases, self.dialect, len(migration.operations))
        cached = migration.judged_index
        if cached is not None and cached[0] == key:
            return cached[1], cached[2]
        judged = [
            op
            for op in migration.operations
            if op.phase in self.phases
            and (op.dialects is None or self.dialect in op.dialects)  # dialect guards
        ]
        by_kind: dict[str, list[Operation]] = {}
        for op in judged:
            by_kind.setdefault(op.kind, []).append(op)
        migration.judged_index = (key, judged, by_kind)
        return judged, by_kind


def _same(name: str | None, other: str | None) -> bool:
    return name is not None and other is not None and name.lower() == other.lower()


def names(op: Operation, **extra: Any) -> dict[str, Any]:
    """Template values from an operation: the user's own names, in the forms the recipes need."""
    columns = op.columns or ((op.column,) if op.column else ())
    values: dict[str, Any] = {
        "table": op.qualified_table,
        "table_name": op.table,
        "schema": op.schema,
        "column": op.column,
        "new_name": op.new_name,
        "index": op.index,
        "constraint": op.constraint,
        "references": op.references,
        "type": op.type,
        "old_type": op.old_type,
        "default": op.default_sql,
        "object_type": op.object_type,
        "object_name": op.object_name,
        "columns_sql": ", ".join(columns) if columns else None,
        "columns_py": ", ".join(f'"{c}"' for c in columns) if columns else None,
        "sql": (op.sql or "").strip() or None,
    }
    values.update(extra)
    return values


def hit(op: Operation, severity: str | None = None, **extra: Any) -> Hit:
    return Hit(op.location, names(op, **extra), op=op, severity=severity, source=op.source)
