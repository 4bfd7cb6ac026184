"""Shapes found in real Alembic histories and in pytest-alembic's projects, on every dialect:
engine-style env.py, pytest-alembic's defaults and fixture, downgrades with nothing to undo,
blame on the failing revision, lossy upgrades, histories that start from create_all(), and
generated rows for every column type."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from verify_helpers import run_items

# pytest-alembic's convention: config.attributes["connection"] holds an Engine, env.py connects.
ENGINE_ENV_PY = """
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
connectable = config.attributes.get("connection", None)
if connectable is None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=None, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
"""


def project(pytester: pytest.Pytester, ini_lines: str = "", script_location: bool = False) -> Path:
    """alembic.ini without script_location (pytest-alembic's default: migrations/), an engine-style
    env.py, and pytest.ini pointing at the ini; returns the versions directory."""
    location = "script_location = %(here)s/migrations\n" if script_location else ""
    (pytester.path / "alembic.ini").write_text(f"[alembic]\n{location}sqlalchemy.url = sqlite://\n")
    versions = pytester.path / "migrations" / "versions"
    versions.mkdir(parents=True)
    (pytester.path / "migrations" / "env.py").write_text(ENGINE_ENV_PY)
    (pytester.path / "pytest.ini").write_text(
        f"[pytest]\nreleasesafe_alembic_config = alembic.ini\npythonpath = .\n{ini_lines}"
    )
    return versions


def revision(
    versions: Path, rev: str, down: str | tuple[str, ...] | None, upgrade: str, downgrade: str
) -> None:
    body = textwrap.dedent
    (versions / f"{rev}_step.py").write_text(
        f'"""step {rev}"""\nimport sqlalchemy as sa\nfrom alembic import op\n\n'
        f"revision = {rev!r}\ndown_revision = {down!r}\nbranch_labels = None\ndepends_on = None\n\n\n"
        f"def upgrade():\n{textwrap.indent(body(upgrade).strip(), '    ')}\n\n\n"
        f"def downgrade():\n{textwrap.indent(body(downgrade).strip(), '    ')}\n"
    )


CREATE_T = (
    "op.create_table('t', sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(40)))"
)


def test_engine_style_env_py_and_default_script_location_run_unchanged(
    pytester: pytest.Pytester, server: object
) -> None:
    versions = project(pytester)
    revision(versions, "a1", None, CREATE_T, "op.drop_table('t')")
    revision(
        versions,
        "b2",
        "a1",
        "op.add_column('t', sa.Column('note', sa.String(20)))",
        "with op.batch_alter_table('t') as batch:\n    batch.drop_column('note')",
    )
    outcome = run_items(pytester, server)
    assert outcome.failed == {}
    assert {"releasesafe::stairway[a1_step]", "releasesafe::data[b2_step]", "releasesafe::upgrade"} <= set(
        outcome.passed
    )


def test_pytest_alembic_fixture_gives_revision_data_floor_and_skips(
    pytester: pytest.Pytester, server: object
) -> None:
    versions = project(pytester)
    revision(versions, "a1", None, CREATE_T, "raise NotImplementedError()")
    # A unique index over duplicates: fails once the fixture's rows are there, and only then.
    revision(
        versions,
        "b2",
        "a1",
        "op.create_index('ix_t_name', 't', ['name'], unique=True)",
        "op.drop_index('ix_t_name', 't')",
    )
    revision(
        versions,
        "c3",
        "b2",
        "op.create_table('never_checked', sa.Column('id', sa.Integer, primary_key=True))",
        "pass",
    )
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture
        def alembic_config():
            return {
                "before_revision_data": {
                    "b2": [{"__tablename__": "t", "id": 1, "name": "ada"}, {"__tablename__": "t", "id": 2, "name": "ada"}],
                },
                "minimum_downgrade_revision": "a1",
                "skip_revisions": ["c3"],
            }
        """
    )
    outcome = run_items(pytester, server)
    assert "releasesafe::stairway[a1_step]" in outcome.passed  # at the floor: upgrade only
    assert "skip_revisions" in outcome.skipped["releasesafe::stairway[c3_step]"]
    assert "skip_revisions" in outcome.skipped["releasesafe::data[c3_step]"]
    assert "upgrade() of b2 failed" in outcome.failed["releasesafe::upgrade"]
    assert "b2_step.py" in outcome.failed["releasesafe::upgrade"]


def test_downgrades_with_nothing_to_undo_pass(pytester: pytest.Pytester, server: object) -> None:
    versions = project(pytester)
    revision(versions, "a1", None, CREATE_T, "op.drop_table('t')")
    revision(versions, "b2", "a1", "pass", "pass")
    # Two branches and the merge `alembic merge` writes.
    # A backfill: data only, nothing in the schema to undo.
    revision(versions, "c3", "b2", "op.execute(\"UPDATE t SET name = 'n/a' WHERE name IS NULL\")", "pass")
    revision(versions, "d4", "b2", "op.get_bind().execute(sa.text('SELECT count(*) FROM t'))", "pass")
    revision(versions, "e5", ("c3", "d4"), "pass", "pass")
    revision(versions, "f6", "e5", "op.execute('DROP TABLE IF EXISTS never_existed')", "pass")
    outcome = run_items(pytester, server)
    assert outcome.failed == {}
    for rev in ("b2", "c3", "d4", "e5", "f6"):
        assert f"releasesafe::stairway[{rev}_step]" in outcome.passed
        assert f"releasesafe::data[{rev}_step]" in outcome.passed


def test_failing_upgrade_is_blamed_on_its_own_revision_once(
    pytester: pytest.Pytester, server: object
) -> None:
    versions = project(pytester)
    revision(versions, "a1", None, CREATE_T, "op.drop_table('t')")
    revision(versions, "b2", "a1", "op.execute('ALTER TABLE missing_table ADD COLUMN x INTEGER')", "pass")
    revision(
        versions,
        "c3",
        "b2",
        "op.create_table('c', sa.Column('id', sa.Integer, primary_key=True))",
        "op.drop_table('c')",
    )
    revision(
        versions,
        "d4",
        "c3",
        "op.create_table('d', sa.Column('id', sa.Integer, primary_key=True))",
        "op.drop_table('d')",
    )
    outcome = run_items(pytester, server)
    assert "b2_step.py:12: upgrade() of b2 failed" in outcome.failed["releasesafe::stairway[b2_step]"]
    assert "upgrade() of b2 failed" in outcome.failed["releasesafe::upgrade"]
    assert "of heads" not in outcome.failed["releasesafe::upgrade"]
    for item in ("stairway[c3_step]", "stairway[d4_step]", "data[c3_step]", "data[d4_step]"):
        reason = outcome.skipped[f"releasesafe::{item}"]
        assert "needs b2, whose upgrade() fails" in reason
    assert not any("transaction is aborted" in text for text in outcome.failed.values())


def test_changes_made_by_the_downgrade_itself_are_named_as_such(
    pytester: pytest.Pytester, server: object
) -> None:
    versions = project(pytester)
    revision(versions, "a1", None, CREATE_T, "op.drop_table('t')")
    revision(
        versions,
        "b2",
        "a1",
        "op.create_table('audit', sa.Column('id', sa.Integer, primary_key=True))",
        "op.drop_table('audit')\nop.create_table('stray', sa.Column('id', sa.Integer, primary_key=True))",
    )
    outcome = run_items(pytester, server, "-k", "stairway")
    message = outcome.failed["releasesafe::stairway[b2_step]"]
    assert "downgrade() of b2 creates table stray" in message
    assert "upgrade() did not create" in message
    assert "created by upgrade()" not in message


def test_lossy_upgrade_is_reported_as_the_upgrade_not_the_downgrade(
    pytester: pytest.Pytester, server: object
) -> None:
    versions = project(pytester)
    revision(
        versions,
        "a1",
        None,
        CREATE_T + "\nop.add_column('t', sa.Column('note', sa.String(40)))",
        "op.drop_table('t')",
    )
    revision(
        versions,
        "b2",
        "a1",
        "with op.batch_alter_table('t') as batch:\n    batch.drop_column('note')",
        "op.add_column('t', sa.Column('note', sa.String(40)))",
    )
    revision(versions, "c3", "b2", "op.execute(\"UPDATE t SET name = 'same'\")", "pass")
    outcome = run_items(pytester, server, "-k", "data")
    dropped = outcome.failed["releasesafe::data[b2_step]"]
    assert "upgrade() of b2 drops column t.note" in dropped
    assert "backup" in dropped and "expand/contract" in dropped
    assert "copy the values back" not in dropped
    overwritten = outcome.failed["releasesafe::data[c3_step]"]
    assert "upgrade() of c3 overwrites the values of t.name" in overwritten


def test_history_starting_from_create_all_runs_with_a_setup(
    pytester: pytest.Pytester, server: object
) -> None:
    versions = project(pytester, ini_lines="releasesafe_setup = app_models:metadata\n")
    (pytester.path / "app_models.py").write_text(
        "import sqlalchemy as sa\nmetadata = sa.MetaData()\n"
        "sa.Table('users', metadata, sa.Column('id', sa.Integer, primary_key=True))\n"
    )
    revision(
        versions,
        "a1",
        None,
        "op.add_column('users', sa.Column('email', sa.String(80)))",
        "with op.batch_alter_table('users') as batch:\n    batch.drop_column('email')",
    )
    revision(
        versions,
        "b2",
        "a1",
        "op.create_index('ix_users_email', 'users', ['email'])",
        "op.drop_index('ix_users_email', 'users')",
    )
    outcome = run_items(pytester, server)
    assert outcome.failed == {}
    assert "releasesafe::data[b2_step]" in outcome.passed


def test_sql_file_setup_runs_before_the_first_revision(pytester: pytest.Pytester, server: object) -> None:
    versions = project(pytester, ini_lines="releasesafe_setup = schema.sql\n")
    (pytester.path / "schema.sql").write_text(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(40));\nCREATE TABLE tags (id INTEGER PRIMARY KEY);\n"
    )
    revision(
        versions,
        "a1",
        None,
        "op.add_column('users', sa.Column('email', sa.String(80)))",
        "with op.batch_alter_table('users') as batch:\n    batch.drop_column('email')",
    )
    outcome = run_items(pytester, server)
    assert outcome.failed == {}


def test_foreign_key_added_over_existing_rows_is_no_failure(
    pytester: pytest.Pytester, server: object
) -> None:
    versions = project(pytester)
    revision(
        versions,
        "a1",
        None,
        "op.create_table('parent', sa.Column('code', sa.String(20), primary_key=True))\n"
        "op.create_table('child', sa.Column('id', sa.Integer, primary_key=True),"
        " sa.Column('parent_code', sa.String(20)), sa.Column('flag', sa.Boolean, unique=True))",
        "op.drop_table('child')\nop.drop_table('parent')",
    )
    revision(
        versions,
        "b2",
        "a1",
        "with op.batch_alter_table('child') as batch:\n"
        "    batch.create_foreign_key('fk_child_parent', 'parent', ['parent_code'], ['code'])",
        "with op.batch_alter_table('child') as batch:\n    batch.drop_constraint('fk_child_parent', type_='foreignkey')\n"
        # MySQL keeps the index it made for the foreign key.
        "if op.get_bind().dialect.name == 'mysql':\n    op.drop_index('fk_child_parent', 'child')",
    )
    outcome = run_items(
        pytester, server, "-W", "error::pytest_releasesafe.verify.pytest_items.ReleasesafeVerifyWarning"
    )
    assert outcome.failed == {}
    assert "releasesafe::data[b2_step]" in outcome.passed


def test_float_real_double_and_interval_columns_get_values(
    pytester: pytest.Pytester, postgres: object
) -> None:
    versions = project(pytester)
    revision(
        versions,
        "a1",
        None,
        "from sqlalchemy.dialects import postgresql as pg\n"
        "op.create_table('m', sa.Column('id', sa.Integer, primary_key=True), sa.Column('ratio', sa.Float),"
        " sa.Column('r', sa.REAL), sa.Column('d', pg.DOUBLE_PRECISION), sa.Column('wait', pg.INTERVAL))",
        "op.drop_table('m')",
    )
    revision(versions, "b2", "a1", "pass", "op.execute('UPDATE m SET ratio = 0, r = 0, d = 0, wait = NULL')")
    outcome = run_items(pytester, postgres, "-k", "data")
    message = outcome.failed["releasesafe::data[b2_step]"]
    for column in ("m.ratio", "m.r", "m.d", "m.wait"):
        assert f"loses data in {column}" in message
    assert "not seeded" not in message


def test_xdist_gives_each_worker_one_stretch_with_both_checks_of_a_revision(
    pytester: pytest.Pytester,
) -> None:
    versions = project(pytester)
    revision(versions, "a1", None, CREATE_T, "op.drop_table('t')")
    previous = "a1"
    for index in range(2, 8):
        rev = f"r{index}"
        revision(
            versions,
            rev,
            previous,
            f"op.add_column('t', sa.Column('c{index}', sa.Integer))",
            f"with op.batch_alter_table('t') as batch:\n    batch.drop_column('c{index}')",
        )
        previous = rev
    result = pytester.runpytest_subprocess(
        "--releasesafe-database=sqlite", "-p", "no:cacheprovider", "-n", "2", "-v"
    )
    result.assert_outcomes(passed=16, skipped=1)  # history, upgrade, 7 x 2; drift: no models
    worker = {}
    for line in result.stdout.lines:
        if "PASSED releasesafe::" in line and line.startswith("[gw"):
            gw, _, node_id = line.partition(" PASSED ")
            worker[node_id.split()[0]] = gw.split("]")[0]  # "[gw0] [ 11%]" -> "[gw0"
    for rev in ("a1_step", *(f"r{i}_step" for i in range(2, 8))):
        assert worker[f"releasesafe::stairway[{rev}]"] == worker[f"releasesafe::data[{rev}]"]
    stairway_workers = [worker[f"releasesafe::stairway[r{i}_step]"] for i in range(2, 8)]
    # One contiguous stretch per worker: the worker changes once along the history at most.
    changes = sum(1 for a, b in zip(stairway_workers, stairway_workers[1:], strict=False) if a != b)
    assert changes <= 1 and len(set(worker.values())) == 2


def test_blocks_split_the_history_into_contiguous_stretches() -> None:
    from pytest_releasesafe.verify.xdist_scheduling import blocks

    # The second worker climbs through the first block before checking its own: it gets fewer.
    assert blocks(list(range(7)), 2) == [[0, 1, 2, 3, 4], [5, 6]]
    assert blocks([1], 2) == [[1], []]
