"""False positives found by reading findings on real public migration histories (see docs/precision.md).

Each test is shaped like the code that triggered the false positive, written here from scratch.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from lint_helpers import codes, lint_snippet

from pytest_releasesafe.config import Config
from pytest_releasesafe.engine import lint


def test_isinstance_mysql_dialect_guard_keeps_mysql_only_sql_out_of_a_postgres_lint(tmp_path: Path) -> None:
    code = """
    from sqlalchemy.dialects.mysql.base import MySQLDialect

    def upgrade():
        bind = op.get_bind()
        if isinstance(bind.dialect, MySQLDialect):
            op.execute("ALTER TABLE charts MODIFY params MEDIUMTEXT")
            op.execute("ALTER TABLE charts MODIFY query_context MEDIUMTEXT")
    """
    assert codes(lint_snippet(tmp_path, code, "alembic", dialect="postgresql")) == []
    assert "RS901" in codes(lint_snippet(tmp_path, code, "alembic", dialect="mysql", target_version=80))


def test_isinstance_sqlite_guard_else_branch_still_runs_on_postgres(tmp_path: Path) -> None:
    code = """
    from sqlalchemy.dialects.sqlite.base import SQLiteDialect

    def upgrade():
        bind = op.get_bind()
        if not isinstance(bind.dialect, SQLiteDialect):
            op.create_index("ix_runs_owner", "runs", ["owner"])
    """
    assert codes(lint_snippet(tmp_path, code, "alembic", dialect="postgresql", select=("RS101",))) == [
        "RS101"
    ]
    assert codes(lint_snippet(tmp_path, code, "alembic", dialect="sqlite", select=("RS101",))) == []


def test_project_create_table_helper_makes_later_index_on_that_table_exempt(tmp_path: Path) -> None:
    code = """
    from myapp.migrations.utils import create_table

    def upgrade():
        create_table(
            "report_schedules",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("active", sa.Boolean(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(op.f("ix_report_schedules_active"), "report_schedules", ["active"])
    """
    assert codes(lint_snippet(tmp_path, code, "alembic", select=("RS101",))) == []


def test_create_index_on_an_existing_table_after_a_helper_call_is_still_reported(tmp_path: Path) -> None:
    code = """
    from myapp.migrations.utils import create_table

    def upgrade():
        create_table("report_schedules", sa.Column("id", sa.Integer(), nullable=False))
        op.create_index("ix_users_email", "users", ["email"])
    """
    assert codes(lint_snippet(tmp_path, code, "alembic", select=("RS101",))) == ["RS101"]


def test_data_change_before_the_ddl_is_not_reported_as_running_under_its_lock(tmp_path: Path) -> None:
    code = """
    def upgrade():
        op.execute("UPDATE columns_v2 SET is_physical = true")
        with op.batch_alter_table("tables_v2") as batch_op:
            batch_op.drop_column("legacy_table_id")
    """
    assert codes(lint_snippet(tmp_path, code, "alembic", select=("RS702",))) == []


def test_data_change_after_the_ddl_in_one_transaction_is_still_reported(tmp_path: Path) -> None:
    code = """
    def upgrade():
        op.add_column("log", sa.Column("event_kind", sa.String(20), nullable=True))
        op.execute("UPDATE log SET event_kind = 'task'")
    """
    assert codes(lint_snippet(tmp_path, code, "alembic", select=("RS702",))) == ["RS702"]


def test_dropping_indexes_of_a_table_the_downgrade_then_drops_is_not_reported(tmp_path: Path) -> None:
    code = """
    def upgrade():
        pass


    def downgrade():
        op.drop_index("idx_reschedule_dag_run", table_name="reschedule")
        op.drop_index("idx_reschedule_task", table_name="reschedule")
        op.drop_table("reschedule")
        op.drop_index("idx_events_when", table_name="events")
    """
    findings = lint_snippet(tmp_path, code, "alembic", select=("RS103",), downgrade=True)
    assert [(f.rule, f.message.split()[2]) for f in findings] == [("RS103", "idx_events_when")]


def lines(findings: list, *rules: str) -> list[tuple[str, int, str]]:
    """(rule, line, severity) of each finding: the expectations are per line, not counts."""
    return [(f.rule, f.line, f.severity) for f in findings if not rules or f.rule in rules]


# The snippet header (lint_helpers.ALEMBIC_HEADER) takes 7 lines: a snippet's line N is line N + 7.
HEADER = 7


def test_foreign_key_dropped_by_a_computed_name_and_recreated_on_the_same_columns_is_replaced_not_dropped(
    tmp_path: Path,
) -> None:
    code = """
    # file: 0001_tab_state.py
    from alembic import op
    import sqlalchemy as sa
    from myapp.utils import create_table

    revision = "0001"
    down_revision = None


    def upgrade():
        create_table(
            "tab_state",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("database_id", sa.Integer(), nullable=True),
            sa.Column("owner_id", sa.Integer(), nullable=True),
            sa.ForeignKeyConstraint(["database_id"], ["dbs.id"]),
            sa.ForeignKeyConstraint(["owner_id"], ["users.id"]),
            sa.PrimaryKeyConstraint("id"),
        )


    def downgrade():
        op.drop_table("tab_state")
    # file: 0002_cascade.py
    from alembic import op
    import sqlalchemy as sa
    from myapp.utils import find_fk_name

    revision = "0002"
    down_revision = "0001"


    def upgrade():
        insp = sa.inspect(op.get_bind())
        with op.batch_alter_table("tab_state") as batch_op:
            batch_op.drop_constraint(find_fk_name("tab_state", {"id"}, "dbs", insp), type_="foreignkey")
            batch_op.create_foreign_key(
                "tab_state_database_id_fkey", "dbs", ["database_id"], ["id"], ondelete="CASCADE"
            )
            batch_op.drop_constraint(find_fk_name("tab_state", {"id"}, "users", insp), type_="foreignkey")
            batch_op.create_foreign_key("tab_state_owner_id_fkey", "teams", ["owner_id"], ["id"])


    def downgrade():
        pass
    """
    findings = lint_snippet(tmp_path, textwrap.dedent(code), "alembic", select=("RS207",))
    # the key to dbs is re-created on the same column and table; the one to users is not (it now
    # references teams): only that one is dropped for good
    assert [(f.rule, f.line, f.path.rsplit("/", 1)[-1]) for f in findings] == [
        ("RS207", 16, "0002_cascade.py")
    ]


def test_constraint_dropped_before_its_column_is_reported_once_as_the_column_drop(tmp_path: Path) -> None:
    code = """
    # file: 0001_datasources.py
    from alembic import op
    import sqlalchemy as sa

    revision = "0001"
    down_revision = None


    def upgrade():
        op.create_table(
            "datasources",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("cluster_name", sa.String(250), sa.ForeignKey("clusters.cluster_name")),
            sa.Column("owner_id", sa.Integer(), sa.ForeignKey("users.id")),
        )


    def downgrade():
        op.drop_table("datasources")
    # file: 0002_drop_cluster_name.py
    from alembic import op
    import sqlalchemy as sa
    from myapp.utils import find_fk_name

    revision = "0002"
    down_revision = "0001"


    def upgrade():
        insp = sa.inspect(op.get_bind())
        with op.batch_alter_table("datasources") as batch_op:
            batch_op.drop_constraint(find_fk_name("datasources", {"cluster_name"}, "clusters", insp), type_="foreignkey")
            batch_op.drop_column("cluster_name")
        op.drop_constraint("datasources_owner_id_fkey", "datasources", type_="foreignkey")


    def downgrade():
        pass
    """
    findings = lint_snippet(tmp_path, textwrap.dedent(code), "alembic", select=("RS207", "RS511"))
    assert [(f.rule, f.line) for f in findings if f.path.endswith("0002_drop_cluster_name.py")] == [
        ("RS511", 13),  # the column drop is the break, reported once
        ("RS207", 14),  # a key whose column stays is still dropped for good
    ]


def test_downgrade_dropping_the_constraint_its_upgrade_created_is_not_reported(tmp_path: Path) -> None:
    code = """
    def upgrade():
        op.create_unique_constraint("uq_runs_name", "runs", ["name"])
        op.create_foreign_key("fk_runs_owner", "runs", "users", ["owner_id"], ["id"])


    def downgrade():
        op.drop_constraint("fk_runs_owner", "runs", type_="foreignkey")
        op.drop_constraint("uq_runs_name", "runs", type_="unique")
        op.drop_constraint("uq_runs_label", "runs", type_="unique")
    """
    findings = lint_snippet(tmp_path, code, "alembic", select=("RS207",), downgrade=True)
    # only the constraint the upgrade did not create is something the previous code may rely on
    assert lines(findings) == [("RS207", 10 + HEADER, "warning")]


def test_f_string_quoted_server_default_is_a_constant_not_missing_nor_volatile(tmp_path: Path) -> None:
    code = """
    from myapp.workspaces import DEFAULT_WORKSPACE

    def upgrade():
        with op.batch_alter_table("permissions") as batch_op:
            batch_op.add_column(
                sa.Column("workspace", sa.String(63), nullable=False, server_default=sa.text(f"'{DEFAULT_WORKSPACE}'"))
            )
        op.add_column("grants", sa.Column("workspace", sa.String(63), nullable=False, server_default=f"{DEFAULT_WORKSPACE}"))
        op.add_column("grants", sa.Column("scope", sa.String(63), nullable=False, server_default=workspace_default))
    """
    findings = lint_snippet(tmp_path, code, "alembic", select=("RS301", "RS303"))
    # RS301 never: each column has a default. RS303 only where the default may be any SQL (a
    # lower-case name; an UPPER_CASE constant is a string: see the imported-constant test below).
    assert lines(findings) == [("RS303", 10 + HEADER, "warning")]
    assert "computed in Python" in findings[0].message
    assert "(not known statically)" not in findings[0].help and "op.alter_column" not in findings[0].help


def test_f_string_default_before_postgres_11_still_rewrites(tmp_path: Path) -> None:
    code = """
    from myapp.workspaces import DEFAULT_WORKSPACE

    def upgrade():
        op.add_column("grants", sa.Column("workspace", sa.String(63), server_default=sa.text(f"'{DEFAULT_WORKSPACE}'")))
    """
    findings = lint_snippet(tmp_path, code, "alembic", select=("RS303",), target_version=10)
    assert lines(findings) == [("RS303", 5 + HEADER, "error")]
    assert "Postgres 10" in findings[0].message


def test_downgrade_pass_after_an_upgrade_that_only_widens_or_relaxes_is_not_reported(tmp_path: Path) -> None:
    code = """
    def upgrade():
        with op.batch_alter_table("params") as batch_op:
            batch_op.alter_column("value", existing_type=sa.String(250), type_=sa.String(8000))
            batch_op.alter_column("key", existing_type=sa.String(250), type_=sa.String(500), existing_nullable=False, nullable=False)
        op.alter_column("tags", "value", existing_type=sa.String(5000), type_=sa.Text().with_variant(MEDIUMTEXT, "mysql"))
        op.alter_column("runs", "run_id", existing_type=sa.VARCHAR(32), nullable=True)
        op.alter_column("runs", "status", existing_type=sa.String(20), server_default="RUNNING")


    def downgrade():
        pass
    """
    for dialect in ("postgresql", "mysql"):
        assert lint_snippet(tmp_path, code, "alembic", select=("RS801",), dialect=dialect) == []


def test_downgrade_pass_after_a_narrowing_or_an_addition_is_still_reported(tmp_path: Path) -> None:
    narrowing = """
    def upgrade():
        op.alter_column("params", "value", existing_type=sa.String(8000), type_=sa.String(250))


    def downgrade():
        pass
    """
    addition = """
    def upgrade():
        op.alter_column("params", "value", existing_type=sa.String(250), type_=sa.String(8000))
        op.create_index("ix_params_value", "params", ["value"])


    def downgrade():
        pass
    """
    assert lines(lint_snippet(tmp_path, narrowing, "alembic", select=("RS801",))) == [
        ("RS801", 6 + HEADER, "warning")
    ]
    assert lines(lint_snippet(tmp_path, addition, "alembic", select=("RS801",))) == [
        ("RS801", 7 + HEADER, "warning")
    ]


def test_downgrade_declared_irreversible_is_information_that_says_so(tmp_path: Path) -> None:
    documented = """
    def upgrade():
        op.add_column("metrics", sa.Column("step", sa.BigInteger(), nullable=False, server_default="0"))


    def downgrade():
        # This migration cannot safely be downgraded: rows with the same key are merged.
        pass
    """
    raising = """
    def upgrade():
        op.drop_column("users", "legacy")


    def downgrade():
        raise NotImplementedError
    """
    silent = """
    def upgrade():
        op.add_column("metrics", sa.Column("step", sa.BigInteger(), nullable=True))


    def downgrade():
        \"\"\"Unapply add metric step.\"\"\"
        pass
    """
    for code in (documented, raising):
        findings = lint_snippet(tmp_path, code, "alembic", select=("RS801",))
        assert lines(findings) == [("RS801", 6 + HEADER, "info")]
        assert "declared irreversible" in findings[0].message
        assert "Undo each change" not in findings[0].help
    assert lines(lint_snippet(tmp_path, silent, "alembic", select=("RS801",))) == [
        ("RS801", 6 + HEADER, "warning")
    ]


def test_type_change_to_a_project_type_says_it_cannot_know_without_gating(tmp_path: Path) -> None:
    code = """
    from myapp.types import MediumText

    def upgrade():
        op.alter_column("dashboards", "position_json", existing_type=sa.Text(), type_=MediumText())
        op.alter_column("slices", "params", existing_type=sa.String(5000), type_=sa.Text().with_variant(MEDIUMTEXT, "mysql"))
        op.alter_column("slices", "name", existing_type=sa.Text(), type_=sa.String(250))
    """
    findings = lint_snippet(tmp_path, code, "alembic", select=("RS401",))
    # project type: info saying it cannot know; a with_variant widening on Postgres: nothing;
    # known types that rewrite: still an error
    assert lines(findings) == [("RS401", 5 + HEADER, "info"), ("RS401", 7 + HEADER, "error")]
    assert "cannot tell what MediumText is" in findings[0].message
    assert "position_json_new" not in findings[0].help  # no recipe built on a type it cannot read


def test_backfill_before_the_ddl_on_its_table_says_its_rows_stay_locked_not_that_the_table_is_unusable(
    tmp_path: Path,
) -> None:
    code = """
    def upgrade():
        op.execute("UPDATE slot_pool SET slots = 0 WHERE slots IS NULL")
        op.alter_column("slot_pool", "slots", existing_type=sa.INTEGER(), nullable=False)
        op.add_column("log", sa.Column("kind", sa.String(20), nullable=True))
        op.execute("UPDATE log SET kind = 'task'")
    """
    findings = lint_snippet(tmp_path, code, "alembic", select=("RS702",))
    # before the DDL on its table: a warning about its row locks; after a DDL (any table): that
    # table stays locked for the whole UPDATE
    assert lines(findings) == [("RS702", 3 + HEADER, "warning"), ("RS702", 6 + HEADER, "error")]
    assert "rows it changes stay locked" in findings[0].message
    assert (
        "every query on slot_pool, reads included, waits for as long as the data change takes"
        in findings[1].message
    )


def test_downgrade_making_nullable_what_its_upgrade_made_not_null_is_not_reported(tmp_path: Path) -> None:
    code = """
    def upgrade():
        op.execute("UPDATE variable SET val = '' WHERE val IS NULL")
        op.alter_column("variable", "val", existing_type=sa.Text(), nullable=False)


    def downgrade():
        op.alter_column("variable", "val", existing_type=sa.Text(), nullable=True)
        op.alter_column("variable", "key", existing_type=sa.String(250), nullable=True)
    """
    findings = lint_snippet(tmp_path, code, "alembic", select=("RS304",), downgrade=True)
    assert lines(findings) == [("RS304", 9 + HEADER, "warning")]  # only the column the upgrade left alone


def test_nullable_true_on_a_column_the_history_made_nullable_is_a_restatement_not_a_drop(
    tmp_path: Path,
) -> None:
    code = """
    # file: 0001_team.py
    from alembic import op
    import sqlalchemy as sa

    revision = "0001"
    down_revision = None


    def upgrade():
        op.add_column("connection", sa.Column("team_id", sa.String(), nullable=True))
        op.add_column("connection", sa.Column("owner", sa.String(), nullable=False, server_default=""))


    def downgrade():
        pass
    # file: 0002_team_name.py
    from alembic import op
    import sqlalchemy as sa

    revision = "0002"
    down_revision = "0001"


    def upgrade():
        op.alter_column("connection", "team_id", new_column_name="team_name", nullable=True)
        op.alter_column("connection", "owner", nullable=True)


    def downgrade():
        pass
    """
    findings = lint_snippet(tmp_path, textwrap.dedent(code), "alembic", select=("RS304",))
    assert [(f.rule, f.line, f.path.rsplit("/", 1)[-1]) for f in findings] == [
        ("RS304", 10, "0002_team_name.py")
    ]


def test_loop_over_literal_names_is_read_once_per_name(tmp_path: Path) -> None:
    code = """
    table_name_mappings = (
        ("dataset", "asset"),
        ("dataset_event", "asset_event"),
    )


    def upgrade():
        for table in ["params", "metrics"]:
            op.create_index(f"index_{table}_run_uuid", table, ["run_uuid"])
        for original_name, new_name in table_name_mappings:
            op.rename_table(original_name, new_name)
    """
    findings = lint_snippet(tmp_path, code, "alembic", select=("RS101", "RS502"))
    assert [(f.rule, f.line, f.message.split(" breaks")[0].split(" on ")[0]) for f in findings] == [
        ("RS101", 10 + HEADER, "CREATE INDEX index_params_run_uuid"),
        ("RS101", 10 + HEADER, "CREATE INDEX index_metrics_run_uuid"),
        ("RS502", 12 + HEADER, "Renaming table dataset to asset"),
        ("RS502", 12 + HEADER, "Renaming table dataset_event to asset_event"),
    ]


def test_loop_whose_body_does_not_use_its_values_reports_its_statement_once(tmp_path: Path) -> None:
    code = """
    TABLE_COLUMNS = ["slices.params", "dashboards.css"]


    def upgrade():
        for item in TABLE_COLUMNS:
            table_name, column_name = item.split(".")
            op.alter_column(table_name, column_name, existing_type=sa.String(100), type_=sa.String(50))
    """
    findings = lint_snippet(tmp_path, code, "alembic", select=("RS401",))
    assert lines(findings) == [("RS401", 8 + HEADER, "error")]


def test_type_change_after_a_loop_of_table_renames_knows_the_old_type(tmp_path: Path) -> None:
    code = """
    # file: 0001_reference.py
    from alembic import op
    import sqlalchemy as sa

    revision = "0001"
    down_revision = None


    def upgrade():
        op.create_table("dataset_reference", sa.Column("dataset_id", sa.Integer(), nullable=False))


    def downgrade():
        op.drop_table("dataset_reference")
    # file: 0002_rename.py
    from alembic import op
    import sqlalchemy as sa

    revision = "0002"
    down_revision = "0001"

    mappings = (("dataset_reference", "asset_reference"),)


    def upgrade():
        for old, new in mappings:
            op.rename_table(old, new)
        with op.batch_alter_table("asset_reference") as batch_op:
            batch_op.alter_column("dataset_id", new_column_name="asset_id", type_=sa.Integer(), nullable=False)


    def downgrade():
        pass
    """
    findings = lint_snippet(tmp_path, textwrap.dedent(code), "alembic", select=("RS401",))
    assert findings == []  # int4 -> int4: no rewrite, once the renamed table is known


def test_foreign_key_to_a_table_dropped_next_is_reported_once_as_the_table_drop(tmp_path: Path) -> None:
    code = """
    # file: 0001_slices.py
    from alembic import op
    import sqlalchemy as sa

    revision = "0001"
    down_revision = None


    def upgrade():
        op.create_table(
            "slices",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("datasource_id", sa.Integer(), sa.ForeignKey("datasources.id")),
        )


    def downgrade():
        op.drop_table("slices")
    # file: 0002_drop_datasources.py
    from alembic import op
    import sqlalchemy as sa

    revision = "0002"
    down_revision = "0001"


    def upgrade():
        op.drop_constraint("slices_datasource_id_fkey", "slices", type_="foreignkey")
        for table in ["datasources", "clusters"]:
            op.drop_table(table)


    def downgrade():
        pass
    """
    findings = lint_snippet(tmp_path, textwrap.dedent(code), "alembic", select=("RS207", "RS512"))
    assert [(f.rule, f.line) for f in findings if f.path.endswith("0002_drop_datasources.py")] == [
        ("RS512", 11),
        ("RS512", 11),
    ]


_RUN_TABLES = """
# file: 0001_runs.py
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None


def upgrade():
    op.create_table(
        "flow_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("runner_type", sa.String(40)),
        sa.Column("state", sa.String(20)),
    )
    op.create_index("ix_flow_run__runner_type", "flow_run", ["runner_type"])
    op.create_index("ix_flow_run__state", "flow_run", ["state"])
    op.create_table("queue", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_index("ix_queue__id", "queue", ["id"])


def downgrade():
    op.drop_table("queue")
    op.drop_table("flow_run")
"""


def test_index_dropped_before_its_column_is_reported_once_as_the_column_drop(tmp_path: Path) -> None:
    # Autogenerate's order: drop the column's index, then the column. The DROP COLUMN takes the same
    # ACCESS EXCLUSIVE lock and removes the index anyway: the column drop (RS511) is the finding.
    code = """
    # file: 0002_remove_runner.py
    from alembic import op

    revision = "0002"
    down_revision = "0001"


    def upgrade():
        with op.batch_alter_table("flow_run") as batch_op:
            batch_op.drop_index("ix_flow_run__runner_type")
        op.drop_index("ix_flow_run__state", table_name="flow_run")
        with op.batch_alter_table("flow_run") as batch_op:
            batch_op.drop_column("runner_type")


    def downgrade():
        pass
    """
    findings = lint_snippet(
        tmp_path, _RUN_TABLES + textwrap.dedent(code), "alembic", select=("RS103", "RS511")
    )
    assert [(f.rule, f.line) for f in findings if f.path.endswith("0002_remove_runner.py")] == [
        ("RS103", 10),  # ix_flow_run__state: its column stays, the drop takes the lock itself
        ("RS511", 12),
    ]


def test_drop_index_after_a_table_rename_in_the_same_transaction_takes_no_new_lock(tmp_path: Path) -> None:
    # The rename already holds ACCESS EXCLUSIVE on the table until COMMIT: the index drops that follow
    # neither queue for the lock nor block anyone longer; the rename's own finding is the one to act on.
    code = """
    # file: 0002_rename_queue.py
    from alembic import op

    revision = "0002"
    down_revision = "0001"


    def upgrade():
        op.rename_table("flow_run", "flow_run_v2")
        with op.batch_alter_table("flow_run_v2") as batch_op:
            batch_op.drop_index("ix_flow_run__state")
        op.drop_index("ix_queue__id", table_name="queue")


    def downgrade():
        pass
    """
    findings = lint_snippet(
        tmp_path, _RUN_TABLES + textwrap.dedent(code), "alembic", select=("RS103", "RS502")
    )
    assert [(f.rule, f.line) for f in findings if f.path.endswith("0002_rename_queue.py")] == [
        ("RS502", 8),
        ("RS103", 11),  # queue was not locked before: this drop waits for and takes the lock
    ]


def test_imported_constant_as_server_default_is_a_literal_not_a_possibly_volatile_default(
    tmp_path: Path,
) -> None:
    # SQLAlchemy renders a Python str passed as server_default= as a quoted literal; an UPPER_CASE
    # module constant (`constants.ACTIVE`) is such a string, so the default is a constant.
    code = """
    from myproject.lib import constants

    DEFAULT_DIRECTION = constants.EGRESS


    def upgrade():
        op.add_column("port_bindings", sa.Column("status", sa.String(16), nullable=False, server_default=constants.ACTIVE))
        op.add_column("bw_rules", sa.Column("direction", sa.String(8), nullable=False, server_default=DEFAULT_DIRECTION))
        op.add_column("bw_rules", sa.Column("policy", sa.String(8), nullable=False, server_default=policy_default))
    """
    findings = lint_snippet(tmp_path, code, "alembic", select=("RS301", "RS303"))
    assert lines(findings) == [("RS303", 10 + HEADER, "warning")]  # a lower-case name stays unknown
    before_11 = lint_snippet(tmp_path, code, "alembic", select=("RS303",), target_version=10)
    assert [(f.line, f.severity) for f in before_11] == [
        (8 + HEADER, "error"),  # any default rewrites before Postgres 11
        (9 + HEADER, "error"),
        (10 + HEADER, "warning"),
    ]


def test_sa_func_localtimestamp_default_is_the_stable_sql_keyword_not_an_unknown_function(
    tmp_path: Path,
) -> None:
    # sa.func.localtimestamp() renders as LOCALTIMESTAMP (no parentheses): a STABLE SQL keyword,
    # evaluated once by ADD COLUMN on Postgres 11+, not a user function called for every row.
    code = """
    def upgrade():
        op.add_column(
            "dashboard",
            sa.Column("email_last_sent", sa.TIMESTAMP, nullable=False, server_default=sa.func.localtimestamp()),
        )
        op.add_column("dashboard", sa.Column("seen_at", sa.DateTime(), server_default=sa.func.current_timestamp()))
        op.add_column("dashboard", sa.Column("token", sa.Text(), server_default=sa.func.gen_random_uuid()))
    """
    findings = lint_snippet(tmp_path, code, "alembic", select=("RS301", "RS303"))
    assert lines(findings) == [("RS303", 8 + HEADER, "error")]  # gen_random_uuid() is volatile


def test_history_split_over_release_folders_is_replayed_as_one_history(tmp_path: Path) -> None:
    # OpenStack lays one Alembic history out as versions/<release>/expand/*.py (recursive version
    # locations): a revision's parent lives in another folder. Replayed folder by folder, the later
    # release started from an empty schema and lost the constraints the earlier one created.
    versions = tmp_path / "versions"
    (versions / "rocky" / "expand").mkdir(parents=True)
    (versions / "zed" / "expand").mkdir(parents=True)
    (versions / "rocky" / "expand" / "1a_port_forwarding.py").write_text(
        textwrap.dedent(
            """\
            from alembic import op
            import sqlalchemy as sa

            revision = "1a"
            down_revision = None


            def upgrade():
                op.create_table(
                    "portforwardings",
                    sa.Column("id", sa.String(36), primary_key=True),
                    sa.Column("socket", sa.String(36), nullable=False),
                    sa.Column("protocol", sa.String(40), nullable=False),
                    sa.UniqueConstraint("socket", "protocol", name="uniq_pf0socket0protocol"),
                )
            """
        ),
        encoding="utf-8",
    )
    (versions / "zed" / "expand" / "2b_port_ranges.py").write_text(
        textwrap.dedent(
            """\
            from alembic import op

            revision = "2b"
            down_revision = "1a"


            def upgrade():
                op.drop_constraint("uniq_pf0socket0protocol", "portforwardings", type_="unique")
                op.drop_column("portforwardings", "socket")
            """
        ),
        encoding="utf-8",
    )
    findings = lint([str(versions)], Config(cache=False, root=tmp_path, select=("RS207", "RS511"))).findings
    assert [(f.rule, f.line, f.path.rsplit("/", 1)[-1]) for f in findings] == [
        ("RS511", 9, "2b_port_ranges.py"),  # the constraint goes with its column: one finding
    ]
