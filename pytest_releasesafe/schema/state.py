"""The catalogue's model: immutable snapshots, so the state before every statement can be kept.

A `Schema` is never changed in place once handed out: `replay.apply` returns a new `Schema` that
shares every table, index and object it did not touch. Keeping one snapshot per statement then
costs a few dictionary copies per DDL statement, not a copy of the whole catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


def evolve(value: T, **changes: Any) -> T:
    """A copy of a frozen record with some fields changed (`dataclasses.replace` runs __init__ and
    costs several times more; the replay makes thousands of these)."""
    new = object.__new__(type(value))
    new.__dict__.update(value.__dict__)
    new.__dict__.update(changes)
    return new


def key(name: str | None) -> str:
    """Identifiers as the server folds them (unquoted names are case-insensitive in practice)."""
    return (name or "").strip('"`[]').lower()


@dataclass(frozen=True)
class Origin:
    """Which migration file created an object, and whether that file is unreleased."""

    path: str
    unreleased: bool = False  # a file added since the `--diff` base: no running code knows the object


SEED = Origin("<schema>")  # objects from the `--schema` file: released, present in production


@dataclass(frozen=True)
class Column:
    name: str
    type: str | None  # as written: SQL (`VARCHAR(20)`) or SQLAlchemy source (`sa.String(20)`)
    type_source: str = "sql"  # "sql" | "alembic": how to read `type`
    nullable: bool | None = None
    default_sql: str | None = None
    has_default: bool | None = None
    origin: Origin = SEED


@dataclass(frozen=True)
class Constraint:
    name: str | None
    type: str | None  # primary_key | unique | foreign_key | check | exclude | None (unknown)
    columns: tuple[str, ...] = ()  # lower-cased; () = unknown
    references: str | None = None
    validated: bool | None = True  # False: added NOT VALID and not validated since
    origin: Origin = SEED


@dataclass(frozen=True)
class Index:
    name: str
    table: str | None
    columns: tuple[str, ...] = ()
    unique: bool = False
    origin: Origin = SEED


@dataclass(frozen=True)
class Table:
    name: str
    columns: dict[str, Column] = field(default_factory=dict)  # by key(); treat as read-only
    constraints: tuple[Constraint, ...] = ()
    indexes: dict[str, Index] = field(default_factory=dict)  # by key(); kept with their table
    # False: the column list is not known (CREATE TABLE AS SELECT, LIKE, a table seen only by name).
    complete: bool = True
    origin: Origin = SEED

    def column(self, name: str | None) -> Column | None:
        return self.columns.get(key(name))

    def constraint(self, name: str | None) -> Constraint | None:
        wanted = key(name)
        return next((c for c in self.constraints if c.name and key(c.name) == wanted), None)

    def primary_key(self) -> Constraint | None:
        return next((c for c in self.constraints if c.type == "primary_key"), None)


@dataclass(frozen=True)
class Function:
    name: str
    returns_trigger: bool | None = None
    origin: Origin = SEED


@dataclass(frozen=True)
class Trigger:
    name: str
    table: str | None
    function: str | None
    origin: Origin = SEED


@dataclass(frozen=True)
class Schema:
    """One snapshot of the catalogue. Every mapping is keyed by `key(name)` and must not be mutated."""

    tables: dict[str, Table] = field(default_factory=dict)
    enums: dict[str, tuple[str, ...] | None] = field(default_factory=dict)  # None: values unknown
    functions: dict[str, Function] = field(default_factory=dict)
    triggers: dict[str, Trigger] = field(default_factory=dict)
    # Other named objects (views, sequences, extensions, schemas, types…) by (object_type, key).
    objects: dict[tuple[str, str], Origin] = field(default_factory=dict)

    def table(self, name: str | None) -> Table | None:
        return self.tables.get(key(name))

    def column(self, table: str | None, column: str | None) -> Column | None:
        found = self.tables.get(key(table))
        return found.columns.get(key(column)) if found is not None else None

    def index(self, name: str | None) -> Index | None:
        """An index by name, on whichever table holds it."""
        wanted = key(name)
        for table in self.tables.values():
            if wanted in table.indexes:
                return table.indexes[wanted]
        return None

    def triggers_calling(self, function: str | None) -> list[Trigger]:
        wanted = key(function)
        return [t for t in self.triggers.values() if t.function is not None and key(t.function) == wanted]

    def unique_on(self, table: str | None, columns: tuple[str, ...]) -> bool:
        """Whether a unique constraint, primary key or unique index already holds on a subset of
        `columns` (then no two rows can share values in all of them)."""
        wanted = {key(c) for c in columns}
        found = self.tables.get(key(table))
        if not wanted or found is None:
            return False
        keys = [set(c.columns) for c in found.constraints if c.type in ("unique", "primary_key")]
        keys += [set(i.columns) for i in found.indexes.values() if i.unique]
        return any(k and k <= wanted for k in keys)

    def evolve(self, **changes: object) -> Schema:
        return evolve(self, **changes)


EMPTY = Schema()
