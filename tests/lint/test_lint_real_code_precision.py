"""False positives found by reading findings on real public migration histories (see docs/precision.md).

Each test is shaped like the code that triggered the false positive, written here from scratch.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from lint_helpers import codes, lint_snippet


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
        op.add_column("grants", sa.Column("scope", sa.String(63), nullable=False, server_default=DEFAULT_WORKSPACE))
    """
    findings = lint_snippet(tmp_path, code, "alembic", select=("RS301", "RS303"))
    # RS301 never: each column has a default. RS303 only where the default may be any SQL (a name).
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
