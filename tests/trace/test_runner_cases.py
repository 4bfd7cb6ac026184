"""The tracer on small hand-written histories: failures, autocommit blocks, lock_timeout, env.py safety."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.engine import make_url
from trace_helpers import by_sql, modes, write_project

from pytest_releasesafe.verify.trace.runner import AlembicProject, trace_migrations

ITEMS = 'op.create_table("items", sa.Column("id", sa.Integer, primary_key=True), sa.Column("code", sa.Text))'


def libpq(url: Any) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def trace(config: Path, url: str, **options: Any) -> Any:
    return trace_migrations(AlembicProject(config), url, **options)


def test_a_failing_revision_is_reported_with_its_statement_and_stops_the_trace(
    tmp_path: Path, database_url: str
) -> None:
    config = write_project(
        tmp_path,
        [
            ITEMS,
            # Seeded rows have no value for the new column: Postgres refuses the NOT NULL.
            'op.execute("ALTER TABLE items ADD COLUMN price integer NOT NULL")',
            'op.execute("CREATE INDEX ix_items_code ON items (code)")',
        ],
    )
    result = trace(config, database_url)
    assert result.failure is not None
    assert result.failure.revision == "0002"
    assert result.failure.sql == "ALTER TABLE items ADD COLUMN price integer NOT NULL"
    assert "contains null values" in result.failure.message
    assert result.for_revision("0003") == []
    assert not result.ok


def test_statements_in_autocommit_blocks_are_observed_from_a_second_connection(
    tmp_path: Path, database_url: str
) -> None:
    config = write_project(
        tmp_path,
        [
            ITEMS,
            """
            with op.get_context().autocommit_block():
                op.execute("CREATE INDEX ix_items_code ON items (code)")
                op.execute("ALTER TABLE items ADD COLUMN note text")
            """,
        ],
    )
    result = trace(config, database_url, rows=10)
    assert result.failure is None
    # Both finish in about a millisecond and release their locks at once: without the probe
    # lock the observer could miss them.
    index = by_sql(result, "CREATE INDEX ix_items_code")
    assert "ShareLock" in modes(index, "items")
    assert index.blocks == "writes"
    column = by_sql(result, "ADD COLUMN note")
    assert "AccessExclusiveLock" in modes(column, "items")
    assert column.blocks == "reads"


def test_lock_timeout_in_force_is_recorded_in_milliseconds(tmp_path: Path, database_url: str) -> None:
    config = write_project(
        tmp_path,
        [
            ITEMS,
            'op.execute("SET lock_timeout = \'3s\'")\nop.execute("ALTER TABLE items ADD COLUMN note text")',
        ],
    )
    result = trace(config, database_url, rows=5)
    assert by_sql(result, "SET lock_timeout").lock_timeout is None  # set by, not in force during
    assert by_sql(result, "ADD COLUMN note").lock_timeout == 3000


def test_rows_are_seeded_before_the_revision_and_rewrites_are_detected(
    tmp_path: Path, database_url: str
) -> None:
    config = write_project(
        tmp_path,
        [
            ITEMS,
            # A volatile default forces a rewrite: the new column differs for every seeded row.
            'op.execute("ALTER TABLE items ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()")',
            'op.execute("CREATE TABLE counts AS SELECT count(*) AS n FROM items")',
        ],
    )
    result = trace(config, database_url, rows=321)
    assert result.failure is None
    assert "items" in by_sql(result, "ADD COLUMN token").rewrites
    with psycopg.connect(
        make_url(database_url).set(drivername="postgresql").render_as_string(False)
    ) as connection:
        assert connection.execute("SELECT n FROM counts").fetchone() == (321,)


def test_env_py_pointing_at_another_database_is_stopped_before_any_statement(
    tmp_path: Path, database_url: str
) -> None:
    elsewhere = make_url(database_url).set(database="postgres")
    env_py = (
        "from alembic import context\nfrom sqlalchemy import create_engine, pool\n"
        f"engine = create_engine({elsewhere.render_as_string(False)!r}, poolclass=pool.NullPool)\n"
        "with engine.connect() as connection:\n"
        "    context.configure(connection=connection, version_table='trace_guard_version')\n"
        "    with context.begin_transaction():\n"
        "        context.run_migrations()\n"
    )
    config = write_project(tmp_path, [ITEMS], env_py=env_py)
    result = trace(config, database_url)
    assert result.failure is not None
    assert "env.py connected to database 'postgres', not to the trace database" in result.failure.message
    with psycopg.connect(libpq(elsewhere)) as connection:
        found = connection.execute("SELECT to_regclass('trace_guard_version')").fetchone()
    assert found == (None,)


def test_branches_and_merges_are_traced_each_revision_once(tmp_path: Path, database_url: str) -> None:
    config = write_project(tmp_path, [])
    versions = tmp_path / "migrations" / "versions"
    history = {
        "root": (
            None,
            'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True), sa.Column("a", sa.Integer))',
        ),
        "left": ("root", 'op.create_index("ix_t_a", "t", ["a"])'),
        "right": ("root", 'op.add_column("t", sa.Column("b", sa.Integer))'),
        "merge": (("left", "right"), 'op.execute("ALTER TABLE t ALTER COLUMN a SET NOT NULL")'),
    }
    for revision, (down, body) in history.items():
        (versions / f"{revision}.py").write_text(
            "import sqlalchemy as sa\nfrom alembic import op\n"
            f"revision = {revision!r}\ndown_revision = {down!r}\nbranch_labels = None\ndepends_on = None\n"
            f"def upgrade():\n    {body}\n"
        )
    result = trace(config, database_url, rows=20)
    assert result.failure is None
    order = [revision.id for revision in result.revisions]
    assert order[0] == "root" and order[-1] == "merge" and sorted(order[1:3]) == ["left", "right"]
    assert [statement.revision for statement in result.statements].count("merge") == 1
    assert by_sql(result, "SET NOT NULL").blocks == "reads"
