"""Read table statistics from a live server: catalog reads only, in a read-only transaction.

Nothing here reads a row of user data: Postgres' pg_class estimates and size functions, MySQL's
information_schema.TABLES. Any role that can connect can run it (no table privileges needed).
"""

from __future__ import annotations

from datetime import UTC, datetime

from pytest_releasesafe.sizes.stats_file import TableSize

_POSTGRES = """
SELECT n.nspname, c.relname, c.reltuples::bigint, pg_table_size(c.oid), pg_indexes_size(c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname <> 'information_schema' AND left(n.nspname, 3) <> 'pg_'
"""
_MYSQL = """
SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS, COALESCE(DATA_LENGTH, 0), COALESCE(INDEX_LENGTH, 0)
FROM information_schema.TABLES
WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA = DATABASE()
"""


class CollectError(Exception):
    """The server could not be reached or read; the message never contains the password."""


def collect(url: str) -> tuple[str, dict[str, TableSize], str]:
    """(dialect, sizes by "schema.table", collection time) for the database at `url`."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise CollectError(f"not a database URL: {error}") from None
    shown = parsed.render_as_string(hide_password=True)
    dialect = parsed.get_backend_name()
    if dialect not in ("postgresql", "mysql", "mariadb"):
        raise CollectError(f"{shown}: statistics can be read from PostgreSQL or MySQL/MariaDB, not {dialect}")
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif parsed.drivername in ("mysql", "mariadb"):
        parsed = parsed.set(drivername="mysql+pymysql")
    try:
        engine = sa.create_engine(parsed, poolclass=sa.pool.NullPool)
        with engine.connect() as connection:
            begin = "BEGIN READ ONLY" if dialect == "postgresql" else "START TRANSACTION READ ONLY"
            connection.exec_driver_sql(begin)
            rows = connection.exec_driver_sql(_POSTGRES if dialect == "postgresql" else _MYSQL).all()
            connection.exec_driver_sql("ROLLBACK")
    except NoSuchModuleError as error:
        raise CollectError(f"{shown}: no driver for this URL: {error}") from None
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        if parsed.password:
            reason = reason.replace(str(parsed.password), "***")
        raise CollectError(f"{shown}: {reason}") from None
    tables: dict[str, TableSize] = {}
    for schema, name, estimate, table_bytes, index_bytes in rows:
        # Postgres 14+ says -1 for a table never vacuumed or analyzed: the row count is unknown.
        known = None if estimate is None or int(estimate) < 0 else int(estimate)
        tables[f"{schema}.{name}".lower()] = TableSize(known, int(table_bytes or 0), int(index_bytes or 0))
    collected_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return ("postgresql" if dialect == "postgresql" else "mysql"), tables, collected_at
