"""Generated rows that a real schema accepts: every column filled, values unique per column (so
unique keys hold), positive numbers (so the usual `> 0` checks hold), foreign keys pointing at rows
generated for the parent table, tables filled parents first."""

from __future__ import annotations

import datetime as dt
import decimal
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import sqltypes

ROWS_PER_TABLE = 3


class CannotGenerate(Exception):
    """No value of this column's type can be made up; the message names the column."""


@dataclass(frozen=True)
class TableRows:
    table: sa.Table
    rows: list[dict[str, Any]]


def _text_value(column: sa.Column[Any], index: int) -> str:
    # The same text for row `index` of every column (not the column's name in it): a foreign key
    # added later over existing rows then finds row i's parent in row i of the parent table.
    length = getattr(column.type, "length", None) or 40
    text = f"value-{index}"
    if len(text) > length:
        text = str(index)[-length:]
    return text


_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_LISTING = re.compile(r"\bIN\s*\(|=\s*ANY\s*\(", re.IGNORECASE)


def allowed_values(column: sa.Column[Any]) -> list[str]:
    """The values a check constraint on this column alone lists (`status IN ('a', 'b')`, which
    Postgres stores as `status = ANY (ARRAY['a', 'b'])`); empty when there is no such check."""
    table = column.table
    for constraint in (*getattr(table, "constraints", ()), *column.constraints):
        if not isinstance(constraint, sa.CheckConstraint):
            continue
        text = str(constraint.sqltext)
        if not _LISTING.search(text):
            continue
        others = [
            c.name
            for c in table.columns
            if c.name != column.name and re.search(rf"\b{re.escape(c.name)}\b", text)
        ]
        if re.search(rf"\b{re.escape(column.name)}\b", text) and not others:
            values = [value.replace("''", "'") for value in _QUOTED.findall(text)]
            if values:
                return values
    return []


def _value(column: sa.Column[Any], index: int, listed: list[str] | None = None) -> Any:
    """A value for row `index` (1-based) of `column`, distinct from the other rows' values.
    `listed`: the column's allowed_values(), when the caller already has them."""
    type_ = column.type
    if listed is None:
        listed = allowed_values(column)
    if listed:
        return listed[(index - 1) % len(listed)]
    if isinstance(type_, sa.Enum):
        choices = list(type_.enums)
        return choices[(index - 1) % len(choices)]
    if isinstance(type_, sa.Boolean):
        return index % 2 == 1
    if isinstance(type_, sa.Integer):
        return 100 + index
    if isinstance(type_, sa.Float):
        # Not under Numeric: SQLAlchemy 2.1 made Float (DOUBLE PRECISION, REAL) a sibling of it.
        # A value exact in binary, so REAL columns read back what was written.
        return 10 + index + 0.5
    if isinstance(type_, sa.Numeric):
        scale = getattr(type_, "scale", None) or 0
        return decimal.Decimal(10 + index) + (decimal.Decimal(index) / 100 if scale >= 2 else 0)
    if isinstance(type_, sa.DateTime):
        return dt.datetime(2024, 1, index, 12, 30, index)
    if isinstance(type_, sa.Date):
        return dt.date(2024, 1, index)
    if isinstance(type_, sa.Time):
        return dt.time(12, index, 0)
    if isinstance(type_, _INTERVALS):
        return dt.timedelta(minutes=index)
    if isinstance(type_, sa.Uuid):
        value = uuid.UUID(int=index)
        return value if type_.as_uuid else str(value)
    if isinstance(type_, sa.JSON):
        return {"row": index}
    if isinstance(type_, sa.LargeBinary):
        return f"value-{index}".encode()
    if isinstance(type_, sa.ARRAY):
        return [_value(sa.Column(column.name, type_.item_type), index)]
    if isinstance(type_, sa.String):
        return _text_value(column, index)
    python_type = None
    try:
        python_type = type_.python_type
    except NotImplementedError:
        pass
    if python_type is str:
        return _text_value(column, index)
    # Dialect types outside the generic hierarchy (and types a later SQLAlchemy moves in it):
    # a value of the Python type they read back as.
    by_python_type = _BY_PYTHON_TYPE.get(python_type)  # type: ignore[arg-type]
    if by_python_type is not None:
        return by_python_type(index)
    if column.nullable:
        return None
    raise CannotGenerate(f"{column.table.name}.{column.name}: no value can be generated for type {type_}")


# PostgreSQL's INTERVAL is not a subclass of sa.Interval (both derive from the private base).
_INTERVALS: tuple[type, ...] = (sa.Interval, getattr(sqltypes, "_AbstractInterval", sa.Interval))

_BY_PYTHON_TYPE: dict[type, Any] = {
    int: lambda index: 100 + index,
    float: lambda index: 10 + index + 0.5,
    decimal.Decimal: lambda index: decimal.Decimal(10 + index),
    bool: lambda index: index % 2 == 1,
    dt.datetime: lambda index: dt.datetime(2024, 1, index, 12, 30, index),
    dt.date: lambda index: dt.date(2024, 1, index),
    dt.time: lambda index: dt.time(12, index, 0),
    dt.timedelta: lambda index: dt.timedelta(minutes=index),
    bytes: lambda index: f"value-{index}".encode(),
    uuid.UUID: lambda index: uuid.UUID(int=index),
}


def _skip_column(column: sa.Column[Any]) -> bool:
    # The server fills these itself and refuses explicit values.
    if column.computed is not None:
        return True
    identity = column.identity
    return identity is not None and identity.always is True


def generate_rows(
    tables: Sequence[sa.Table],
    count: int = ROWS_PER_TABLE,
    parents: dict[str, list[dict[str, Any]]] | None = None,
) -> tuple[list[TableRows], list[str]]:
    """Rows for `tables` (already in foreign-key order) and the tables left empty, with why.
    `parents`: rows generated earlier for other tables, which foreign keys may point at."""
    generated: dict[str, list[dict[str, Any]]] = dict(parents or {})
    result: list[TableRows] = []
    skipped: list[str] = []
    for table in tables:
        rows: list[dict[str, Any]] = []
        columns = [column for column in table.columns if not _skip_column(column)]
        # Reading the check constraints once per column, not once per row: they are compiled to text.
        listed = {column.name: allowed_values(column) for column in columns}
        try:
            for index in range(1, _row_count(table, listed, count) + 1):
                rows.append(
                    {
                        column.name: _foreign_value(column, index, generated, listed[column.name])
                        for column in columns
                    }
                )
        except CannotGenerate as error:
            skipped.append(str(error))
            continue
        generated[table.name] = rows
        result.append(TableRows(table, rows))
    return result, skipped


def _unique_column_sets(table: sa.Table) -> list[list[sa.Column[Any]]]:
    sets = [list(table.primary_key.columns)] if table.primary_key.columns else []
    sets += [list(c.columns) for c in table.constraints if isinstance(c, sa.UniqueConstraint)]
    sets += [list(index.columns) for index in table.indexes if index.unique]
    return [columns for columns in sets if columns]


def _cardinality(column: sa.Column[Any], listed: list[str]) -> int | None:
    """How many distinct values generation gives this column (None: as many as rows)."""
    if listed:
        return len(listed)
    if isinstance(column.type, sa.Enum):
        return len(column.type.enums)
    if isinstance(column.type, sa.Boolean):
        return 2
    return None


def _row_count(table: sa.Table, listed: dict[str, list[str]], count: int) -> int:
    """`count`, or fewer when a unique key only has room for fewer distinct rows (a unique
    boolean or enum column): more rows would be refused and leave the table unseeded."""
    for columns in _unique_column_sets(table):
        room = 1
        for column in columns:
            distinct = _cardinality(column, listed.get(column.name, []))
            if distinct is None:
                room = count
                break
            room *= distinct
        count = max(1, min(count, room))
    return count


def _foreign_value(
    column: sa.Column[Any], index: int, generated: dict[str, list[dict[str, Any]]], listed: list[str]
) -> Any:
    for foreign_key in column.foreign_keys:
        target = foreign_key.column
        parent_rows = generated.get(target.table.name)
        if target.table is column.table:
            # Self reference: point at the row itself, which exists once this row is inserted.
            return _value(target, index)
        if parent_rows:
            return parent_rows[(index - 1) % len(parent_rows)].get(target.name)
        if column.nullable:
            return None
        raise CannotGenerate(
            f"{column.table.name}.{column.name}: the referenced table {target.table.name} has no rows"
        )
    return _value(column, index, listed)


def insert_all(connection: Connection, batches: Sequence[TableRows]) -> list[str]:
    """Insert every batch; return why some tables could not be seeded. All in one go first (the
    usual case); only if the database refuses something, table by table in savepoints to find out
    which, keeping the rest."""
    try:
        with connection.begin_nested():
            for batch in batches:
                connection.execute(batch.table.insert(), batch.rows)
        return []
    except sa.exc.DBAPIError:
        pass
    refused = []
    for batch in batches:
        problem = insert_rows(connection, batch)
        if problem:
            refused.append(problem)
    return refused


def insert_rows(connection: Connection, batch: TableRows) -> str | None:
    """Insert one table's rows in a savepoint; return why not, if the database refused them."""
    try:
        with connection.begin_nested():
            connection.execute(batch.table.insert(), batch.rows)
    except sa.exc.DBAPIError as error:
        first = (str(error.orig).strip().splitlines() or [""])[0]
        return f"{batch.table.name}: the database refused generated rows: {first}"
    return None


def read_rows(connection: Connection, table: sa.Table) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in connection.execute(sa.select(table))]


def current_shape(table: sa.Table, columns: set[str]) -> sa.Table:
    """`table` as it is now: the columns that still exist (types from before, for reading) and
    the ones added since (read as the driver gives them), so a renamed column's values show."""
    known = [sa.Column(c.name, c.type) for c in table.columns if c.name in columns]
    added: list[sa.Column[Any]] = [sa.Column(name) for name in sorted(columns - set(table.columns.keys()))]
    return sa.Table(table.name, sa.MetaData(), *known, *added)


def read_all(
    connection: Connection, tables: Sequence[sa.Table], columns: dict[str, set[str]] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (of only `columns[name]` where given: the table changed since it
    was reflected). On Postgres in one round trip, as JSON, whatever the columns: before and after
    are read the same way, so they compare like for like."""
    if not tables:
        return {}
    if connection.dialect.name != "postgresql":
        if columns is not None:
            tables = [current_shape(table, columns[table.name]) for table in tables]
        return {table.name: read_rows(connection, table) for table in tables}
    quote = connection.dialect.identifier_preparer.quote
    parts = ", ".join(
        f"(SELECT coalesce(json_agg(row_to_json(t)), '[]') FROM {quote(table.name)} AS t) AS c{index}"
        for index, table in enumerate(tables)
    )
    row = connection.execute(sa.text(f"SELECT {parts}")).one()
    return {table.name: list(row[index]) for index, table in enumerate(tables)}
