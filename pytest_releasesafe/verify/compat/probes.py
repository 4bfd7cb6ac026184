"""Run the statements the old code runs, against the new schema, inside a transaction that is rolled back.

For every table the old code maps: an INSERT that gives exactly the columns the old model knows
(largest values the old types allow), a SELECT of every old column, an UPDATE of each old column and a
DELETE. Rows are inserted parents first so foreign keys hold, and deleted children first.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from pytest_releasesafe.verify.compat.breaks import PROBE_FAILED, Break, first_line
from pytest_releasesafe.verify.compat.column_types import binding_type
from pytest_releasesafe.verify.compat.schema import NewTable, OldColumn, OldTable
from pytest_releasesafe.verify.compat.values import UNSUPPORTED, probe_value

# Errors a probe statement may raise: the database's, or the driver's when a value cannot be bound.
_PROBE_ERRORS = (sa.exc.SQLAlchemyError, ValueError, TypeError)
_QUOTED = re.compile(r"[\"'`]([A-Za-z_][A-Za-z0-9_$]*)[\"'`]")
_COMPARABLE = frozenset({"string", "integer", "numeric", "boolean", "date", "datetime", "uuid", "enum"})
# SQLite names columns without quotes: "table t has no column named c", "no such column: t.c".
_UNQUOTED = re.compile(r"column(?: named|:)? (?:[A-Za-z_][A-Za-z0-9_$]*\.)?([A-Za-z_][A-Za-z0-9_$]*)")


@dataclass
class _Probe:
    old: OldTable
    table: sa.Table
    new_columns: frozenset[str]
    row: dict[str, Any] | None = None  # the inserted row, when the INSERT worked
    last_keys: tuple[Any, ...] = ()
    breaks: list[Break] = field(default_factory=list)

    def where(self) -> sa.ColumnElement[bool]:
        if self.row is None:
            return sa.false()
        keys = [column for column in self.table.primary_key.columns if column.name in self.row]
        if not keys:
            # No primary key: match on the values we wrote, skipping types without equality (JSON...).
            keys = [
                column
                for column in self.table.columns
                if column.name in self.row
                and self.row[column.name] is not None
                and self.old.column(column.name).type["category"] in _COMPARABLE  # type: ignore[union-attr]
            ]
        if not keys:
            return sa.false()  # nothing to find the row by: the statement still checks every column
        return sa.and_(*(column == self.row[column.name] for column in keys))


def run_probes(
    connection: sa.Connection,
    old_tables: tuple[OldTable, ...],
    new_tables: dict[tuple[str | None, str], NewTable],
) -> list[Break]:
    dialect = connection.dialect.name
    probes = [
        _Probe(
            old=old, table=_core_table(old), new_columns=frozenset(new_tables[(old.schema, old.name)].columns)
        )
        for old in old_tables
        if (old.schema, old.name) in new_tables
    ]
    transaction = connection.begin()
    try:
        inserted: dict[tuple[str, str], Any] = {}
        for probe in probes:
            _insert(connection, probe, inserted, dialect)
        for probe in probes:
            _select(connection, probe)
            _update(connection, probe, inserted, dialect)
        for probe in reversed(probes):
            _delete(connection, probe)
    finally:
        transaction.rollback()
    return [found for probe in probes for found in probe.breaks]


def _core_table(old: OldTable) -> sa.Table:
    columns = [
        sa.Column(
            column.name,
            binding_type(column.type),
            primary_key=column.primary_key,
            autoincrement=column.autoincrement,
        )
        for column in old.columns
    ]
    return sa.Table(old.name, sa.MetaData(), *columns, schema=old.schema)


def _value(
    column: OldColumn, inserted: dict[tuple[str, str], Any], dialect: str, variant: int, small: bool = False
) -> Any:
    for reference in column.foreign_keys:
        if reference in inserted:
            return inserted[reference]
    if column.foreign_keys:
        return None if column.nullable else UNSUPPORTED
    return probe_value(column.type, dialect, variant, small=small)


def _insert_values(
    probe: _Probe, inserted: dict[tuple[str, str], Any], dialect: str, small: frozenset[str]
) -> dict[str, Any] | None:
    """The row the old code would insert; None when a parent row it references could not be inserted."""
    values: dict[str, Any] = {}
    for column in probe.old.columns:
        if column.generated or column.autoincrement:
            continue
        value = _value(column, inserted, dialect, variant=0, small=column.name in small)
        if value is UNSUPPORTED:
            if column.foreign_keys:
                return None
            if not column.nullable:
                continue
            value = None
        values[column.name] = value
    return values


def _insert(
    connection: sa.Connection, probe: _Probe, inserted: dict[tuple[str, str], Any], dialect: str
) -> None:
    values = _insert_values(probe, inserted, dialect, small=frozenset())
    if values is None:
        return  # the parent's INSERT failed: that break is reported on the parent
    # The database names one failing column per attempt: leave it out and retry, to find them all.
    blamed: set[str] = set()
    while True:
        error = _try_insert(connection, probe, values, keep=True)
        if error is None:
            _remember(probe, values, inserted)
            return
        column = _blamed_column(probe, error)
        if column is None or column in blamed:
            break
        blamed.add(column)
        probe.breaks.append(_probe_break(probe, "INSERT", error, column=column))
        if column not in values:
            break  # a column the old code does not know: nothing it could send would help
        del values[column]
    if column is None:
        too_big = _values_too_big(connection, probe, inserted, dialect, leave_out=blamed)
        for name, column_error in too_big:
            probe.breaks.append(_probe_break(probe, "INSERT", column_error, column=name))
        if not too_big and not blamed:
            probe.breaks.append(_probe_break(probe, "INSERT", error))
    # Keep a row for the SELECT/UPDATE/DELETE probes if a modest one fits.
    everything = frozenset(column.name for column in probe.old.columns)
    modest = _insert_values(probe, inserted, dialect, small=everything)
    if modest is not None:
        modest = {name: value for name, value in modest.items() if name not in blamed}
        if _try_insert(connection, probe, modest, keep=True) is None:
            _remember(probe, modest, inserted)


def _values_too_big(
    connection: sa.Connection,
    probe: _Probe,
    inserted: dict[tuple[str, str], Any],
    dialect: str,
    leave_out: set[str],
) -> list[tuple[str, BaseException]]:
    """The database did not name a column ("value too long"): find the columns whose largest value fails."""
    everything = frozenset(column.name for column in probe.old.columns)

    def row(small: frozenset[str]) -> dict[str, Any]:
        values = _insert_values(probe, inserted, dialect, small=small) or {}
        return {name: value for name, value in values.items() if name not in leave_out}

    modest = row(everything)
    if _try_insert(connection, probe, modest, keep=False) is not None:
        return []  # even modest values fail: not a size problem
    found = []
    for name in modest:
        error = _try_insert(connection, probe, row(everything - {name}), keep=False)
        if error is not None:
            found.append((name, error))
    return found


def _try_insert(
    connection: sa.Connection, probe: _Probe, values: dict[str, Any], keep: bool
) -> BaseException | None:
    """Run the INSERT in a savepoint, kept only with `keep`; the new row's keys go to probe.last_keys."""
    try:
        with connection.begin_nested() as savepoint:
            result = connection.execute(sa.insert(probe.table).values(values))
            probe.last_keys = tuple(result.inserted_primary_key or ())
            if not keep:
                savepoint.rollback()
    except _PROBE_ERRORS as error:
        return error
    return None


def _remember(probe: _Probe, values: dict[str, Any], inserted: dict[tuple[str, str], Any]) -> None:
    row = dict(values)
    for column, key in zip(probe.table.primary_key.columns, probe.last_keys, strict=False):
        if key is not None:
            row[column.name] = key
    probe.row = row
    for name, value in row.items():
        inserted[(probe.old.name, name)] = value


def _select(connection: sa.Connection, probe: _Probe) -> None:
    columns = list(probe.table.columns)
    if _run(connection, sa.select(*columns).where(probe.where())) is None:
        return
    blamed = False
    for column in columns:
        error = _run(connection, sa.select(column).where(probe.where()))
        if error is not None:
            probe.breaks.append(_probe_break(probe, "SELECT", error, column=column.name))
            blamed = True
    if not blamed:
        error = _run(connection, sa.select(*columns).where(probe.where()))
        if error is not None:
            probe.breaks.append(_probe_break(probe, "SELECT", error))


def _update(
    connection: sa.Connection, probe: _Probe, inserted: dict[tuple[str, str], Any], dialect: str
) -> None:
    changes: list[tuple[OldColumn, Any]] = []
    for column in probe.old.columns:
        if column.primary_key or column.generated:
            continue
        value = _value(column, inserted, dialect, variant=1)
        if column.foreign_keys and probe.row is not None:
            value = probe.row.get(column.name)  # keep the reference valid
        if value is not UNSUPPORTED:
            changes.append((column, value))
    # An optional column is also cleared by the old code: NULL must still be accepted.
    optional = {column.name: None for column, _ in changes if column.nullable}
    # Fast path: the ORM flushes several attributes in one UPDATE; when these pass, there is nothing
    # to blame, and a table costs two statements instead of two per column.
    if (
        changes
        and _apply_update(connection, probe, {column.name: value for column, value in changes}) is None
    ):
        if not optional or _apply_update(connection, probe, optional) is None:
            return
    for column, value in changes:
        for new_value in (value, None) if column.nullable else (value,):
            error = _apply_update(connection, probe, {column.name: new_value})
            if error is not None:
                probe.breaks.append(_probe_break(probe, "UPDATE", error, column=column.name))
                break


def _apply_update(connection: sa.Connection, probe: _Probe, values: dict[str, Any]) -> BaseException | None:
    error = _run(connection, sa.update(probe.table).where(probe.where()).values(values))
    if error is None and probe.row is not None and not probe.table.primary_key.columns:
        # Without a key the row is found by its values: follow what the UPDATE wrote.
        for name, value in values.items():
            if value is None:
                probe.row.pop(name, None)
            else:
                probe.row[name] = value
    return error


def _delete(connection: sa.Connection, probe: _Probe) -> None:
    error = _run(connection, sa.delete(probe.table).where(probe.where()))
    if error is not None:
        probe.breaks.append(_probe_break(probe, "DELETE", error, column=_blamed_column(probe, error)))


def _run(connection: sa.Connection, statement: sa.Executable) -> BaseException | None:
    """Run a statement whose effect is kept if it works; a failure must not end the transaction."""
    try:
        # Postgres aborts the whole transaction on an error: a savepoint contains it. InnoDB undoes
        # just the failed statement, so MySQL saves two round trips per statement.
        with nullcontext() if connection.dialect.name == "mysql" else connection.begin_nested():
            connection.execute(statement)
    except _PROBE_ERRORS as error:
        return error
    return None


def _blamed_column(probe: _Probe, error: BaseException) -> str | None:
    """The column the database names in its error (quoted), if it is one of this table's."""
    known = {column.name for column in probe.old.columns} | probe.new_columns
    message = first_line(error)
    for name in _QUOTED.findall(message) + _UNQUOTED.findall(message):
        if name in known:
            return name
    return None


def _probe_break(probe: _Probe, operation: str, error: BaseException, column: str | None = None) -> Break:
    old_column = probe.old.column(column) if column else None
    target = f"{probe.old.name}.{column}" if column else probe.old.name
    return Break(
        kind=PROBE_FAILED,
        table=probe.old.name,
        column=column,
        operation=operation,
        model=old_column.attribute if old_column else None,
        message=f"the old code's {operation} on {target} fails on the new schema",
        error=first_line(error),
    )
