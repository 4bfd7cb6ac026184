"""Fill tables with generated rows so scans, validations and rewrites in the trace do real work.

Every value derives from the row number g (1..N): integers are g, text is "<column>-g", and so on.
Primary keys and plain integer columns therefore both run 1..N, which is why a foreign key added
later between two seeded integer columns validates. Foreign keys that already exist take their
values from the parent's rows. Rows that would break a unique constraint are skipped
(ON CONFLICT DO NOTHING); a table that cannot be seeded at all is reported, never silently left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

_TABLES = """
SELECT c.oid, n.nspname, c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
ORDER BY c.oid
"""

_COLUMNS = """
SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typtype, t.typcategory,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
       a.attnotnull, a.atthasdef, a.attidentity <> '', a.attgenerated <> ''
FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
"""

_FOREIGN_KEYS = """
SELECT c.confrelid,
       ARRAY(SELECT attname FROM unnest(c.conkey) WITH ORDINALITY k(num, i)
             JOIN pg_attribute ON attrelid = c.conrelid AND attnum = k.num ORDER BY k.i),
       ARRAY(SELECT attname FROM unnest(c.confkey) WITH ORDINALITY k(num, i)
             JOIN pg_attribute ON attrelid = c.confrelid AND attnum = k.num ORDER BY k.i)
FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = %s
"""


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # format_type(): already valid SQL
    typtype: str
    category: str
    domain_base: str | None
    not_null: bool
    has_default: bool
    identity: bool
    generated: bool


@dataclass(frozen=True)
class ForeignKey:
    parent: int
    columns: tuple[str, ...]
    parent_columns: tuple[str, ...]


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _value(column: Column) -> str | None:
    """A SQL expression of g for this column, or None to leave it to its default/NULL."""
    if column.typtype == "d" and column.domain_base:
        base = Column(column.name, column.domain_base, "b", column.category, None, True, False, False, False)
        expression = _value(base)
        return None if expression is None else f"({expression})::{column.type}"
    if column.typtype == "e":
        values = f"enum_range(NULL::{column.type})"
        return f"({values})[1 + g % cardinality({values})]"
    if column.category == "A":
        return f"'{{}}'::{column.type}"
    kind = column.type
    label = quote_literal(column.name[:20] + "-")
    if kind == "smallint":
        return "(g % 32767)::smallint"
    if kind in ("integer", "bigint"):
        return "g"
    if kind.startswith(("numeric", "real", "double precision", "money")):
        return f"g::{kind}"
    if kind == "boolean":
        return "(g % 2 = 0)"
    if kind == "text" or kind.startswith(("character", "citext")):
        # An explicit cast truncates to varchar(n)/char(n) instead of failing.
        return f"({label} || g)::{kind}"
    if kind == "uuid":
        return "md5(g::text)::uuid"
    if kind == "date":
        return "date '2000-01-01' + g"
    if kind.startswith("timestamp"):
        return f"(timestamp '2000-01-01' + g * interval '1 minute')::{kind}"
    if kind.startswith("time"):
        return f"(time '00:00' + g * interval '1 second')::{kind}"
    if kind.startswith("interval"):
        return "g * interval '1 second'"
    if kind in ("json", "jsonb"):
        return f"json_build_object('n', g)::{kind}"
    if kind == "bytea":
        return "decode(md5(g::text), 'hex')"
    if kind in ("inet", "cidr"):
        return f"('10.' || (g / 65536) % 256 || '.' || (g / 256) % 256 || '.' || g % 256)::{kind}"
    # An unusual type: NULL when allowed, else let Postgres try to read the number.
    return f"g::text::{kind}" if column.not_null else None


class Seeder:
    """Seeds each user table once, the first time it is seen (call `seed_new_tables` before each revision)."""

    def __init__(self, rows: int, skip_tables: Iterable[str] = ()) -> None:
        self.rows = rows
        self.skip_tables = set(skip_tables)
        self.seen: set[int] = set()
        self.warnings: list[str] = []

    def seed_new_tables(self, connection: Any) -> list[str]:
        """Seed the tables not seen yet, parents before children; returns their names."""
        tables = {
            oid: (schema, name)
            for oid, schema, name in _query(connection, _TABLES)
            if oid not in self.seen and name not in self.skip_tables
        }
        foreign_keys = {oid: self._foreign_keys(connection, oid) for oid in tables}
        seeded: list[str] = []
        for oid in _parents_first(tables, foreign_keys):
            schema, name = tables[oid]
            self.seen.add(oid)
            if self.rows > 0:
                self._seed_table(connection, oid, schema, name, foreign_keys[oid])
            seeded.append(name)
        return seeded

    def _foreign_keys(self, connection: Any, oid: int) -> list[ForeignKey]:
        return [
            ForeignKey(int(parent), tuple(columns), tuple(parent_columns))
            for parent, columns, parent_columns in _query(connection, _FOREIGN_KEYS, (oid,))
        ]

    def _seed_table(
        self, connection: Any, oid: int, schema: str, name: str, foreign_keys: list[ForeignKey]
    ) -> None:
        columns = [Column(*row) for row in _query(connection, _COLUMNS, (oid,))]
        values: dict[str, str] = {}
        joins: list[str] = []
        for index, foreign_key in enumerate(foreign_keys):
            parent = _qualified(connection, foreign_key.parent)
            parent_rows = int(_query(connection, f"SELECT count(*) FROM {parent}")[0][0])
            if parent_rows == 0 or foreign_key.parent == oid:
                continue  # NULL where allowed; a NOT NULL column makes the insert fail and be reported
            alias = f"parent_{index}"
            picked = ", ".join(quote_identifier(column) for column in foreign_key.parent_columns)
            joins.append(
                f"JOIN (SELECT {picked}, row_number() OVER () AS rn FROM {parent}) "
                f"AS {alias} ON {alias}.rn = 1 + (g - 1) % {parent_rows}"
            )
            for child_column, parent_column in zip(
                foreign_key.columns, foreign_key.parent_columns, strict=True
            ):
                values.setdefault(child_column, f"{alias}.{quote_identifier(parent_column)}")
        for column in columns:
            if column.name in values or column.identity or column.generated or column.has_default:
                continue
            expression = _value(column)
            if expression is not None:
                values[column.name] = expression
        table = f"{quote_identifier(schema)}.{quote_identifier(name)}"
        if values:
            target = ", ".join(quote_identifier(column) for column in values)
            sql = (
                f"INSERT INTO {table} ({target}) SELECT {', '.join(values.values())} "
                f"FROM generate_series(1, {int(self.rows)}) AS g {' '.join(joins)} ON CONFLICT DO NOTHING"
            )
        else:
            sql = f"INSERT INTO {table} SELECT FROM generate_series(1, {int(self.rows)}) AS g"
        # A savepoint keeps a failed insert from aborting the migration's transaction.
        _execute(connection, "SAVEPOINT releasesafe_seed")
        try:
            _execute(connection, sql)
        except Exception as error:  # noqa: BLE001 - any database error: report the table, keep tracing
            _execute(connection, "ROLLBACK TO SAVEPOINT releasesafe_seed")
            first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
            self.warnings.append(f"table {name} was not seeded: {first_line}")
        finally:
            _execute(connection, "RELEASE SAVEPOINT releasesafe_seed")


def _parents_first(
    tables: dict[int, tuple[str, str]], foreign_keys: dict[int, list[ForeignKey]]
) -> list[int]:
    ordered: list[int] = []
    visiting: set[int] = set()

    def visit(oid: int) -> None:
        if oid in ordered or oid in visiting:
            return  # done, or a cycle: its insert will tell
        visiting.add(oid)
        for foreign_key in foreign_keys[oid]:
            if foreign_key.parent in tables:
                visit(foreign_key.parent)
        visiting.discard(oid)
        ordered.append(oid)

    for oid in sorted(tables):
        visit(oid)
    return ordered


def _qualified(connection: Any, oid: int) -> str:
    return str(_query(connection, "SELECT %s::oid::regclass::text", (oid,))[0][0])


def _query(connection: Any, sql: str, params: tuple[Any, ...] | None = None) -> list[tuple[Any, ...]]:
    cursor = connection.cursor()
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _execute(connection: Any, sql: str) -> None:
    cursor = connection.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()
