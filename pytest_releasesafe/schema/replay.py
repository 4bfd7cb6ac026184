"""Apply one operation to a schema snapshot, returning the snapshot after it.

Only what an operation states is recorded; anything it leaves open stays unknown (`None`, or
absent). A table first seen by an ALTER (created before the linted history) enters the catalogue
as incomplete: the columns it is seen to have, nothing claimed about the others.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TypeVar

from pytest_releasesafe import model as m
from pytest_releasesafe.model import Operation
from pytest_releasesafe.schema.state import (
    Column,
    Constraint,
    Function,
    Index,
    Origin,
    Schema,
    Table,
    Trigger,
    evolve,
)
from pytest_releasesafe.schema.state import key as _fold

# The same few hundred table and column names are folded tens of thousands of times in a long history.
key = lru_cache(maxsize=1 << 14)(_fold)
K = TypeVar("K")
V = TypeVar("V")

_RETURNS_TRIGGER = re.compile(r"\bRETURNS\s+(?:EVENT_)?TRIGGER\b", re.IGNORECASE)
_TRIGGER_TABLE = re.compile(r"\bON\s+((?:[\w\"`]+\.)?[\w\"`]+)", re.IGNORECASE)
_TRIGGER_FUNCTION = re.compile(
    r"\bEXECUTE\s+(?:FUNCTION|PROCEDURE)\s+((?:[\w\"`]+\.)?[\w\"`]+)", re.IGNORECASE
)
_ENUM_VALUES = re.compile(r"\bAS\s+ENUM\s*\((.*)\)", re.IGNORECASE | re.DOTALL)

# Kinds that change nothing the catalogue records: their snapshot is the one before them.
INERT = frozenset(
    {
        m.DATA_CHANGE,
        m.SELECT,
        m.SET_SETTING,
        m.BEGIN,
        m.COMMIT,
        m.ROLLBACK,
        m.COMMENT,
        m.GRANT,
        m.OTHER,
        m.UNRECOGNIZED,
        m.LOCK_TABLE,
        m.TRUNCATE,
        m.VACUUM_FULL,
        m.CLUSTER,
        m.REINDEX,
        m.SET_TABLESPACE,
        m.SET_LOGGED,
    }
)


def _last(name: str | None) -> str:
    return key((name or "").split(".")[-1])


def apply(schema: Schema, op: Operation, origin: Origin) -> Schema:
    if op.kind in INERT:
        return schema
    handler = _HANDLERS.get(op.kind)
    return handler(schema, op, origin) if handler is not None else schema


def _without(mapping: dict[K, V], name: K) -> dict[K, V]:
    """A copy of `mapping` without `name`, in the same order (a C copy, not a comprehension: the
    catalogue of a long history holds hundreds of tables)."""
    copy = dict(mapping)
    copy.pop(name, None)
    return copy


def _with_table(schema: Schema, table: Table) -> Schema:
    tables = dict(schema.tables)
    tables[key(table.name)] = table
    return schema.evolve(tables=tables)


def _table_for(schema: Schema, op: Operation) -> Table:
    """The table an ALTER works on; one the history never created is known only in part."""
    return schema.table(op.table) or Table(op.table or "", complete=False, origin=Origin("<unknown>"))


def _type_source(op: Operation) -> str:
    return "alembic" if op.source == "alembic" else "sql"


def _spec_column(spec: tuple, origin: Origin, source: str) -> Column:
    name, type_, nullable, default_sql, *_ = spec
    return Column(
        name,
        type_,
        source,
        nullable,
        default_sql,
        default_sql is not None if nullable is not None else None,
        origin,
    )


def _create_table(schema: Schema, op: Operation, origin: Origin) -> Schema:
    if not op.table:
        return schema
    spec = op.get("table_spec")
    source = _type_source(op)
    columns: dict[str, Column] = {}
    constraints: list[Constraint] = []
    if spec:
        column_specs, constraint_specs = spec
        for c in column_specs:
            columns[key(c[0])] = _spec_column(c, origin, source)
            name = c[0]
            if c[4]:
                constraints.append(Constraint(None, "primary_key", (key(name),), origin=origin))
            if c[5]:
                constraints.append(Constraint(None, "unique", (key(name),), origin=origin))
            if c[6]:
                constraints.append(Constraint(None, "foreign_key", (key(name),), c[6], origin=origin))
        for name, type_, cols, references in constraint_specs:
            if type_ == "index":
                continue  # MySQL inline KEY: an index, recorded below
            constraints.append(
                Constraint(name, type_, tuple(key(c) for c in cols), references, origin=origin)
            )
    else:
        for name in op.columns:
            columns[key(name)] = Column(name, None, source, origin=origin)
    complete = bool(columns) and not op.get("as_select") and "LIKE" not in (op.sql or "").upper().split()
    indexes = {
        key(name): Index(name, op.table, tuple(key(c) for c in cols), origin=origin)
        for name, type_, cols, _ in (spec[1] if spec else ())
        if type_ == "index" and name
    }
    return _with_table(schema, Table(op.table, columns, tuple(constraints), indexes, complete, origin))


def _drop_table(schema: Schema, op: Operation, origin: Origin) -> Schema:
    name = key(op.table)
    if name not in schema.tables:
        return schema
    tables = _without(schema.tables, name)
    triggers = {k: v for k, v in schema.triggers.items() if key(v.table) != name}
    return schema.evolve(tables=tables, triggers=triggers)


def _rename_table(schema: Schema, op: Operation, origin: Origin) -> Schema:
    old, new = key(op.table), op.new_name
    table = schema.tables.get(old)
    if table is None or not new:
        return schema
    tables = _without(schema.tables, old)
    tables[key(new)] = evolve(
        table, name=new, indexes={k: evolve(i, table=new) for k, i in table.indexes.items()}
    )
    triggers = {k: evolve(v, table=new) if key(v.table) == old else v for k, v in schema.triggers.items()}
    return schema.evolve(tables=tables, triggers=triggers)


def _add_column(schema: Schema, op: Operation, origin: Origin) -> Schema:
    if not op.table or not op.column:
        return schema
    table = _table_for(schema, op)
    column = Column(op.column, op.type, _type_source(op), op.nullable, op.default_sql, op.has_default, origin)
    columns = {**table.columns, key(op.column): column}
    constraints = list(table.constraints)
    own = (key(op.column),)
    if op.get("primary_key"):
        constraints.append(Constraint(None, "primary_key", own, origin=origin))
    if op.get("unique"):
        constraints.append(Constraint(None, "unique", own, origin=origin))
    if op.references:
        constraints.append(Constraint(None, "foreign_key", own, op.references, origin=origin))
    return _with_table(schema, evolve(table, columns=columns, constraints=tuple(constraints)))


def _drop_column(schema: Schema, op: Operation, origin: Origin) -> Schema:
    table = schema.table(op.table)
    if table is None or not op.column:
        return schema
    gone = key(op.column)
    columns = _without(table.columns, gone)
    # The server drops every index and constraint that involves the column along with it.
    constraints = tuple(c for c in table.constraints if gone not in c.columns)
    indexes = table.indexes
    if any(gone in i.columns for i in indexes.values()):
        indexes = {k: i for k, i in indexes.items() if gone not in i.columns}
    return _with_table(schema, evolve(table, columns=columns, constraints=constraints, indexes=indexes))


def _rename_column(schema: Schema, op: Operation, origin: Origin) -> Schema:
    table = schema.table(op.table)
    if table is None or not op.column or not op.new_name:
        return schema
    old, new = key(op.column), key(op.new_name)
    column = table.columns.get(old)
    columns = _without(table.columns, old)
    if column is not None:
        columns[new] = evolve(column, name=op.new_name)
    rename = lambda cols: tuple(new if c == old else c for c in cols)  # noqa: E731
    constraints = tuple(
        evolve(c, columns=rename(c.columns)) if old in c.columns else c for c in table.constraints
    )
    indexes = table.indexes
    if any(old in i.columns for i in indexes.values()):
        indexes = {
            k: evolve(i, columns=rename(i.columns)) if old in i.columns else i for k, i in indexes.items()
        }
    return _with_table(schema, evolve(table, columns=columns, constraints=constraints, indexes=indexes))


def _change_column(schema: Schema, op: Operation, **changes: object) -> Schema:
    table = schema.table(op.table)
    column = table.column(op.column) if table is not None else None
    if table is None or column is None:
        return schema  # unknown column: stays unknown
    columns = {**table.columns, key(op.column): evolve(column, **changes)}
    return _with_table(schema, evolve(table, columns=columns))


def _alter_type(schema: Schema, op: Operation, origin: Origin) -> Schema:
    new_type = (op.get("type_source") or op.type) if op.source == "alembic" else op.type
    changes: dict[str, object] = {"type": new_type, "type_source": _type_source(op)}
    if op.get("statement") == "MODIFY":
        # MySQL MODIFY restates the whole column: what it leaves out (NOT NULL, DEFAULT) is gone.
        changes.update(nullable=op.nullable, default_sql=None, has_default=None)
    return _change_column(schema, op, **changes)


def _add_constraint(schema: Schema, op: Operation, origin: Origin) -> Schema:
    if not op.table:
        return schema
    table = _table_for(schema, op)
    columns = tuple(key(c) for c in op.columns)
    if op.index and op.get("using_index"):
        # `ADD CONSTRAINT c UNIQUE USING INDEX ix`: the index becomes the constraint's (and takes its name).
        used = table.indexes.get(key(op.index))
        if used is not None:
            columns = columns or used.columns
            table = evolve(table, indexes={k: i for k, i in table.indexes.items() if i is not used})
    constraint = Constraint(
        op.constraint,
        op.constraint_type,
        columns,
        op.references,
        None if op.not_valid is None else not op.not_valid,
        origin,
    )
    kept = tuple(
        c for c in table.constraints if not (op.constraint and c.name and key(c.name) == key(op.constraint))
    )
    table = evolve(table, constraints=(*kept, constraint))
    if op.constraint_type == "primary_key":
        table_columns = dict(table.columns)
        for name in constraint.columns:
            if name in table_columns:
                table_columns[name] = evolve(table_columns[name], nullable=False)
        table = evolve(table, columns=table_columns)
    return _with_table(schema, table)


def _validate_constraint(schema: Schema, op: Operation, origin: Origin) -> Schema:
    table = schema.table(op.table)
    if table is None or table.constraint(op.constraint) is None:
        return schema
    wanted = key(op.constraint)
    constraints = tuple(
        evolve(c, validated=True) if c.name and key(c.name) == wanted else c for c in table.constraints
    )
    return _with_table(schema, evolve(table, constraints=constraints))


def _drop_constraint(schema: Schema, op: Operation, origin: Origin) -> Schema:
    table = schema.table(op.table)
    if table is None:
        return schema
    wanted = key(op.constraint)
    # A table has one primary key: dropping "the primary key" drops it whatever name the catalogue
    # knows it by (an inline or unnamed key is recorded without its name).
    dropping_key = op.constraint_type == "primary_key"
    constraints = tuple(
        c
        for c in table.constraints
        if not ((c.name and key(c.name) == wanted) or (dropping_key and c.type == "primary_key"))
    )
    return _with_table(schema, evolve(table, constraints=constraints))


def _other_alter(schema: Schema, op: Operation, origin: Origin) -> Schema:
    action = str(op.get("action") or "")
    if action == "DROP PRIMARY KEY":  # MySQL
        table = schema.table(op.table)
        if table is not None:
            constraints = tuple(c for c in table.constraints if c.type != "primary_key")
            return _with_table(schema, evolve(table, constraints=constraints))
    return schema


def _create_index(schema: Schema, op: Operation, origin: Origin) -> Schema:
    if not op.index or not op.table:
        return schema
    table = _table_for(schema, op)
    index = Index(op.index, op.table, tuple(key(c) for c in op.columns), op.unique, origin)
    return _with_table(schema, evolve(table, indexes={**table.indexes, key(op.index): index}))


def _without_index(schema: Schema, name: str) -> tuple[Schema, Index | None]:
    for table in schema.tables.values():
        index = table.indexes.get(name)
        if index is not None:
            kept = _without(table.indexes, name)
            return _with_table(schema, evolve(table, indexes=kept)), index
    return schema, None


def _drop_index(schema: Schema, op: Operation, origin: Origin) -> Schema:
    return _without_index(schema, key(op.index))[0]


def _create_object(schema: Schema, op: Operation, origin: Origin) -> Schema:
    kind, name = op.object_type or "", _last(op.object_name)
    if not name:
        return schema
    sql = op.sql or ""
    if kind in ("function", "procedure"):
        function = Function(name, bool(_RETURNS_TRIGGER.search(sql)) if sql else None, origin)
        return schema.evolve(functions={**schema.functions, name: function})
    if kind == "trigger":
        on = _TRIGGER_TABLE.search(sql)
        calls = _TRIGGER_FUNCTION.search(sql)
        trigger = Trigger(
            name, _last(on.group(1)) if on else None, _last(calls.group(1)) if calls else None, origin
        )
        return schema.evolve(triggers={**schema.triggers, name: trigger})
    if kind == "type":
        values = _ENUM_VALUES.search(sql)
        if values:
            members = tuple(v.strip().strip("'") for v in values.group(1).split(",") if v.strip())
            schema = schema.evolve(enums={**schema.enums, name: members})
    return schema.evolve(objects={**schema.objects, (kind, name): origin})


def _drop_object(schema: Schema, op: Operation, origin: Origin) -> Schema:
    kind, name = op.object_type or "", _last(op.object_name)
    if kind in ("function", "procedure"):
        functions = _without(schema.functions, name)
        return schema.evolve(functions=functions)
    if kind == "trigger":
        return schema.evolve(triggers=_without(schema.triggers, name))
    enums = _without(schema.enums, name) if kind == "type" else dict(schema.enums)
    objects = _without(schema.objects, (kind, name))
    return schema.evolve(enums=enums, objects=objects)


def _rename_object(schema: Schema, op: Operation, origin: Origin) -> Schema:
    kind, old, new = op.object_type or "", _last(op.object_name), op.new_name
    if not old or not new:
        return schema
    if kind == "index":
        schema, index = _without_index(schema, old)
        if index is not None and index.table:
            table = schema.table(index.table)
            if table is not None:
                renamed = {**table.indexes, key(new): evolve(index, name=new)}
                return _with_table(schema, evolve(table, indexes=renamed))
        return schema
    if kind == "constraint" and op.table:
        table = schema.table(op.table)
        if table is not None:
            constraints = tuple(
                evolve(c, name=new) if c.name and key(c.name) == old else c for c in table.constraints
            )
            return _with_table(schema, evolve(table, constraints=constraints))
    return schema


def _enum_add_value(schema: Schema, op: Operation, origin: Origin) -> Schema:
    name = _last(op.object_name)
    members = schema.enums.get(name)
    if members is None or op.get("value") is None:
        return schema
    return schema.evolve(enums={**schema.enums, name: (*members, str(op.get("value")))})


_HANDLERS = {
    m.CREATE_TABLE: _create_table,
    m.DROP_TABLE: _drop_table,
    m.RENAME_TABLE: _rename_table,
    m.ADD_COLUMN: _add_column,
    m.DROP_COLUMN: _drop_column,
    m.RENAME_COLUMN: _rename_column,
    m.ALTER_COLUMN_TYPE: _alter_type,
    m.SET_NOT_NULL: lambda s, op, o: _change_column(s, op, nullable=False),
    m.DROP_NOT_NULL: lambda s, op, o: _change_column(s, op, nullable=True),
    m.SET_DEFAULT: lambda s, op, o: _change_column(s, op, default_sql=op.default_sql, has_default=True),
    m.DROP_DEFAULT: lambda s, op, o: _change_column(s, op, default_sql=None, has_default=False),
    m.ADD_CONSTRAINT: _add_constraint,
    m.VALIDATE_CONSTRAINT: _validate_constraint,
    m.DROP_CONSTRAINT: _drop_constraint,
    m.ALTER_TABLE_OTHER: _other_alter,
    m.CREATE_INDEX: _create_index,
    m.DROP_INDEX: _drop_index,
    m.CREATE_OBJECT: _create_object,
    m.DROP_OBJECT: _drop_object,
    m.RENAME_OBJECT: _rename_object,
    m.ALTER_ENUM_ADD_VALUE: _enum_add_value,
}
