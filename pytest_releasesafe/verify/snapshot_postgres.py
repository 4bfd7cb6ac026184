"""PostgreSQL schema snapshot straight from the catalog, in one round trip.

The inspector needs about ten queries per snapshot (40 ms on a 100-table schema); the stairway takes
two snapshots per revision, so the catalog is read here with a single JSON-building query instead.
Objects that belong to extensions are left out: the migration history does not own them.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from pytest_releasesafe.verify.snapshot import ColumnShape, Snapshot, TableShape

_CATALOG_QUERY = text(
    r"""
WITH ns AS (
    SELECT oid, CASE WHEN nspname = current_schema() THEN '' ELSE nspname || '.' END AS prefix
    FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema')
      AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp%'
),
-- Objects made after initdb have OIDs from FirstNormalObjectId (16384) up, and extensions own
-- only relations, types and functions that matter here: the bounds leave out built-in objects
-- only, but let the catalogs be read through their indexes instead of scanned whole (some
-- thousand rows each for the built-in functions, types and dependencies).
ext AS (
    SELECT objid FROM pg_depend
    WHERE classid IN ('pg_class'::regclass, 'pg_type'::regclass, 'pg_proc'::regclass)
      AND objid >= 16384 AND deptype = 'e'
),
rel AS (
    SELECT c.oid, c.relkind, ns.prefix || c.relname AS name
    FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
    WHERE c.oid >= 16384 AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.oid NOT IN (SELECT objid FROM ext)
)
SELECT json_build_object(
  'tables', (SELECT json_agg(name) FROM rel WHERE relkind IN ('r', 'p')),
  'columns', (
    SELECT json_agg(json_build_array(
        rel.name, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
        pg_get_expr(d.adbin, d.adrelid),
        concat_ws(' ',
            CASE a.attidentity WHEN 'a' THEN 'identity always' WHEN 'd' THEN 'identity by default' END,
            CASE a.attgenerated WHEN 's' THEN 'generated stored' END,
            CASE WHEN a.attcollation NOT IN (0, 100) THEN 'collate ' || co.collname END))
        -- in the table's order: tables built from the snapshot (snapshot_tables) keep it
        ORDER BY a.attrelid, a.attnum)
    FROM rel
    JOIN pg_attribute a ON a.attrelid = rel.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = rel.oid AND d.adnum = a.attnum
    LEFT JOIN pg_collation co ON co.oid = a.attcollation
    WHERE rel.relkind IN ('r', 'p')),
  'constraints', (
    SELECT json_agg(json_build_array(rel.name, con.conname, con.contype, pg_get_constraintdef(con.oid)))
    FROM rel JOIN pg_constraint con ON con.conrelid = rel.oid
    WHERE rel.relkind IN ('r', 'p') AND con.contype IN ('p', 'u', 'f', 'c', 'x')),
  'indexes', (
    SELECT json_agg(json_build_array(rel.name, ic.relname, pg_get_indexdef(i.indexrelid)))
    FROM rel JOIN pg_index i ON i.indrelid = rel.oid JOIN pg_class ic ON ic.oid = i.indexrelid
    WHERE rel.relkind IN ('r', 'p', 'm') AND NOT EXISTS (
        SELECT 1 FROM pg_constraint con
        WHERE con.conindid = i.indexrelid AND con.conrelid = rel.oid AND con.contype IN ('p', 'u', 'x'))),
  'triggers', (
    SELECT json_agg(json_build_array(rel.name, t.tgname, pg_get_triggerdef(t.oid)))
    FROM rel JOIN pg_trigger t ON t.tgrelid = rel.oid WHERE NOT t.tgisinternal),
  'types', (
    SELECT json_agg(json_build_array(ns.prefix || t.typname,
        CASE t.typtype
          WHEN 'e' THEN 'enum (' || (
              SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
              FROM pg_enum e WHERE e.enumtypid = t.oid) || ')'
          WHEN 'd' THEN 'domain ' || format_type(t.typbasetype, t.typtypmod)
              || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
              || coalesce(' DEFAULT ' || t.typdefault, '')
              || coalesce((SELECT ' ' || string_agg(pg_get_constraintdef(dc.oid), ' ' ORDER BY dc.conname)
                           FROM pg_constraint dc WHERE dc.contypid = t.oid), '')
          WHEN 'c' THEN 'composite (' || (
              SELECT string_agg(quote_ident(ca.attname) || ' ' || format_type(ca.atttypid, ca.atttypmod),
                                ', ' ORDER BY ca.attnum)
              FROM pg_attribute ca
              WHERE ca.attrelid = t.typrelid AND ca.attnum > 0 AND NOT ca.attisdropped) || ')'
          ELSE 'range ' || t.typname
        END))
    FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
    WHERE t.oid >= 16384 AND t.oid NOT IN (SELECT objid FROM ext)
      AND (t.typtype IN ('e', 'd', 'r')
           OR (t.typtype = 'c' AND EXISTS (
               SELECT 1 FROM pg_class tc WHERE tc.oid = t.typrelid AND tc.relkind = 'c')))),
  'sequences', (
    SELECT json_agg(json_build_array(rel.name, concat_ws(' ',
        format_type(s.seqtypid, NULL), 'increment', s.seqincrement, 'start', s.seqstart,
        'min', s.seqmin, 'max', s.seqmax, CASE WHEN s.seqcycle THEN 'cycle' END)))
    FROM rel JOIN pg_sequence s ON s.seqrelid = rel.oid
    -- serial and identity sequences belong to their column, whose default already shows them
    WHERE rel.relkind = 'S' AND NOT EXISTS (
        SELECT 1 FROM pg_depend dep
        WHERE dep.classid = 'pg_class'::regclass AND dep.objid = rel.oid AND dep.deptype IN ('a', 'i'))),
  'views', (
    SELECT json_agg(json_build_array(rel.name,
        CASE rel.relkind WHEN 'm' THEN 'materialized ' ELSE '' END || pg_get_viewdef(rel.oid)))
    FROM rel WHERE rel.relkind IN ('v', 'm')),
  'routines', (
    SELECT json_agg(json_build_array(
        ns.prefix || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
        p.prokind::text || ' returns ' || format_type(p.prorettype, NULL)
            || ' ' || md5(coalesce(p.prosrc, ''))))
    FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
    WHERE p.oid >= 16384 AND p.oid NOT IN (SELECT objid FROM ext))
)
"""
)

_CONSTRAINT_FIELD = {"u": "uniques", "f": "foreign_keys", "c": "checks", "x": "indexes"}


# Planning the catalog query costs the server about as much as running it (some 2 ms): inside a
# transaction the session keeps it prepared under this name.
PREPARED_NAME = "releasesafe_snapshot"
_IS_PREPARED = text(f"SELECT EXISTS (SELECT FROM pg_prepared_statements WHERE name = '{PREPARED_NAME}')")
_PREPARE = text(f"PREPARE {PREPARED_NAME} AS {_CATALOG_QUERY.text}")
_EXECUTE = text(f"EXECUTE {PREPARED_NAME}")


def _catalog(connection: Connection) -> dict[str, Any]:
    """The catalog query's result; through the prepared statement where the statements run in a
    transaction (there a connection pooler keeps one server session too), looked up by name each
    time: a migration's DEALLOCATE or a driver's may have dropped it. A prepared statement
    outlives a rollback."""
    dbapi = connection.connection.dbapi_connection
    if getattr(dbapi, "autocommit", True):
        result: dict[str, Any] = connection.execute(_CATALOG_QUERY).scalar_one()
        return result
    if not connection.execute(_IS_PREPARED).scalar_one():
        connection.execute(_PREPARE)
    prepared: dict[str, Any] = connection.execute(_EXECUTE).scalar_one()
    return prepared


def postgres_snapshot(connection: Connection, ignore_tables: frozenset[str] = frozenset()) -> Snapshot:
    data = _catalog(connection)
    parts: dict[str, dict[str, Any]] = defaultdict(
        lambda: {
            "columns": {},
            "indexes": {},
            "uniques": {},
            "foreign_keys": {},
            "checks": {},
            "triggers": {},
        }
    )
    tables = [name for name in data["tables"] or () if name not in ignore_tables]
    for name in tables:
        parts[name]  # noqa: B018 - a table without columns still exists
    for table, column, type_, nullable, default, extra in data["columns"] or ():
        if table in parts:
            parts[table]["columns"][column] = ColumnShape(type_, nullable, default, extra)
    primary_keys: dict[str, str] = {}
    for table, name, kind, definition in data["constraints"] or ():
        if table not in parts:
            continue
        if kind == "p":
            primary_keys[table] = f"{name} {definition}"
        else:
            parts[table][_CONSTRAINT_FIELD[kind]][name] = definition
    for table, name, definition in data["indexes"] or ():
        if table in parts:
            parts[table]["indexes"][name] = definition
    for table, name, definition in data["triggers"] or ():
        if table in parts:
            parts[table]["triggers"][name] = definition
    views = dict(data["views"] or ())
    return Snapshot(
        tables={
            name: TableShape(primary_key=primary_keys.get(name, ""), **fields)
            for name, fields in sorted(parts.items())
        },
        types=dict(data["types"] or ()),
        sequences=dict(data["sequences"] or ()),
        views=views,
        routines=dict(data["routines"] or ()),
    )
