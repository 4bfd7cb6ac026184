"""Generated rows that stay in a lane's tables from one revision to the next.

Seeding every table before every revision costs a delete, an insert per table and row generation
for the whole schema, although a revision usually changes one table. Here the rows stay, and a
table is seeded again only when it no longer holds exactly its generated rows: it is new, its
shape changed (a column added, a check created), or a migration changed its rows. Tables whose
foreign keys point at a re-seeded table are re-seeded with it (their rows must go first). So
before every revision each table holds the same rows a fresh seeding would give it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pytest_releasesafe.verify.rows import generate_rows, insert_all, read_all
from pytest_releasesafe.verify.snapshot import Snapshot, TableShape

Rows = dict[str, list[dict[str, Any]]]


def _row_shape(table: TableShape) -> tuple[object, ...]:
    # What decides which rows a table accepts and how they read back.
    return (table.columns, table.primary_key, table.foreign_keys, table.uniques, table.checks)


class KeptRows:
    def __init__(self) -> None:
        self._shapes: dict[str, tuple[object, ...]] = {}  # shape of each table when it was seeded
        self._content: Rows = {}  # the rows each table should hold now
        self._problems: dict[str, str] = {}  # tables left empty, and why
        self._generated: Rows = {}  # the rows generated for each table (refused ones too)

    @property
    def holds_rows(self) -> bool:
        return any(self._content.values())

    def prepare(
        self, connection: Connection, tables: Sequence[sa.Table], snapshot: Snapshot
    ) -> tuple[Rows, list[str]]:
        """Make every table of `tables` (parents first) hold its generated rows; return the rows
        as read back and the tables left empty, with why."""
        names = [table.name for table in tables]
        for gone in set(self._shapes) - set(names):
            self._forget(gone)
        current = read_all(connection, tables)
        stale = {
            name
            for name in names
            if self._shapes.get(name) != _row_shape(snapshot.tables[name])
            or current[name] != self._content.get(name)
        }
        for table in tables:  # parents first, so a single pass reaches grandchildren
            if any(
                key.column.table.name in stale for key in table.foreign_keys if key.column.table is not table
            ):
                stale.add(table.name)
        if stale:
            self._reseed(connection, tables, stale, snapshot)
            current.update(read_all(connection, [table for table in tables if table.name in stale]))
            for name in stale:
                self._content[name] = current[name]
        generation = [problem for name, problem in self._problems.items() if problem.startswith(f"{name}.")]
        refusals = [problem for problem in self._problems.values() if problem not in generation]
        return current, generation + refusals

    def _reseed(
        self, connection: Connection, tables: Sequence[sa.Table], stale: set[str], snapshot: Snapshot
    ) -> None:
        quote = connection.dialect.identifier_preparer.quote
        for table in reversed(tables):  # children first
            if table.name in stale:
                # Not TRUNCATE: on Postgres that replaces the table's files, tens of milliseconds.
                connection.execute(sa.text(f"DELETE FROM {quote(table.name)}"))
        # Foreign keys point at the rows generated for the parents that keep theirs.
        kept = {name: rows for name, rows in self._generated.items() if name not in stale}
        batches, cannot = generate_rows([table for table in tables if table.name in stale], parents=kept)
        for name in stale:
            self._generated.pop(name, None)
        self._generated.update((batch.table.name, batch.rows) for batch in batches)
        for name in stale:
            self._problems.pop(name, None)
            self._shapes[name] = _row_shape(snapshot.tables[name])
        for problem in cannot:
            name = problem.partition(".")[0]
            if name in stale:
                self._problems[name] = problem
        refused = insert_all(connection, batches)
        for problem in refused:
            self._problems[problem.partition(":")[0]] = problem

    def settle(self, rows: Rows) -> None:
        """The rows read after a downgrade that kept them: what the tables should hold next."""
        self._content.update(rows)

    def _forget(self, name: str) -> None:
        self._shapes.pop(name, None)
        self._content.pop(name, None)
        self._problems.pop(name, None)
        self._generated.pop(name, None)
