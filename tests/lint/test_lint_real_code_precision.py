"""False positives found by reading findings on real public migration histories (see docs/precision.md).

Each test is shaped like the code that triggered the false positive, written here from scratch.
"""

from __future__ import annotations

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
