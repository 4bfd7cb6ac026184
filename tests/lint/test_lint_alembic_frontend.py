"""Alembic front end: static reading of revision files, never importing them."""

from __future__ import annotations

import textwrap

from pytest_releasesafe import model as m
from pytest_releasesafe.frontends.alembic import parse_alembic
from pytest_releasesafe.frontends.detect import is_revision_file

HEADER = 'revision = "r1"\ndown_revision = "r0"\n'


def parse(body: str, header: str = "from alembic import op\nimport sqlalchemy as sa\n") -> m.Migration:
    return parse_alembic("v.py", header + HEADER + textwrap.dedent(body), "postgresql")


def kinds(migration: m.Migration, phase: str = m.UPGRADE) -> list[str]:
    return [op.kind for op in migration.ops(phase)]


def test_revision_files_are_found_by_content() -> None:
    assert is_revision_file(HEADER + "def upgrade():\n    pass\n")
    assert not is_revision_file("def upgrade():\n    pass\n")
    assert not is_revision_file("down_revision = 'x'\n")


def test_revision_ids() -> None:
    migration = parse("def upgrade():\n    pass\n")
    assert (migration.revision, migration.down_revision) == ("r1", ("r0",))
    merge = parse_alembic(
        "v.py", 'revision = "m"\ndown_revision = ("a", "b")\ndef upgrade():\n    pass\n', "postgresql"
    )
    assert merge.down_revision == ("a", "b")


def test_aliased_op_and_positional_and_keyword_arguments() -> None:
    migration = parse(
        """
        def upgrade():
            migrate.create_index("ix_a", "users", ["a"])
            migrate.create_index(index_name="ix_b", table_name="users", columns=["b"], unique=True)
        """,
        header="from alembic import op as migrate\nimport sqlalchemy as sa\n",
    )
    a, b = migration.ops()
    assert (a.index, a.table, a.columns) == ("ix_a", "users", ("a",))
    assert (b.index, b.table, b.columns, b.unique) == ("ix_b", "users", ("b",), True)


def test_batch_alter_table_binds_the_table() -> None:
    migration = parse(
        """
        def upgrade():
            with op.batch_alter_table("orders", schema="shop") as batch_op:
                batch_op.drop_column("legacy")
                batch_op.alter_column("total", new_column_name="amount")
        """
    )
    drop, rename = migration.ops()
    assert (drop.kind, drop.table, drop.schema, drop.column) == (m.DROP_COLUMN, "orders", "shop", "legacy")
    assert (rename.kind, rename.column, rename.new_name) == (m.RENAME_COLUMN, "total", "amount")


def test_autocommit_block_leaves_the_transaction() -> None:
    migration = parse(
        """
        def upgrade():
            op.create_index("ix_a", "users", ["a"], postgresql_concurrently=True)
            with op.get_context().autocommit_block():
                op.create_index("ix_b", "users", ["b"], postgresql_concurrently=True)
        """
    )
    assert [op.in_transaction for op in migration.ops()] == [True, False]


def test_execute_forms_go_through_the_sql_front_end() -> None:
    migration = parse(
        '''
        def upgrade():
            op.execute("ALTER TABLE users "
                       "DROP COLUMN a")
            op.execute(sa.text("""
                UPDATE users SET b = 1;
                DROP TABLE legacy;
            """))
            bind = op.get_bind()
            bind.execute(sa.text("ALTER TABLE users RENAME TO people"))
            op.get_bind().execute(sa.text("CREATE INDEX ix ON users (c)"))
        '''
    )
    assert kinds(migration) == [m.DROP_COLUMN, m.DATA_CHANGE, m.DROP_TABLE, m.RENAME_TABLE, m.CREATE_INDEX]
    lines = [op.location.line for op in migration.ops()]
    # header: 4 lines, a blank line, `def upgrade` on 6; the triple-quoted string opens on line 9.
    assert lines[:3] == [7, 10, 11]
    assert all(op.source == "sql" for op in migration.ops())


def test_branches_and_loops_still_produce_operations() -> None:
    migration = parse(
        """
        def upgrade():
            if settings.BIG:
                op.drop_column("users", "a")
            else:
                op.drop_column("users", "b")
            for name in ("x", "y"):
                op.drop_table(name)
            for name in settings.TABLES:
                op.drop_table(name)
            try:
                op.drop_table("z")
            except Exception:
                pass
        """
    )
    ops = migration.ops()
    assert kinds(migration) == [m.DROP_COLUMN, m.DROP_COLUMN] + [m.DROP_TABLE] * 4
    assert all(op.conditional for op in ops)
    assert [op.table for op in ops[2:4]] == ["x", "y"], "a loop over literal values is read once per value"
    assert ops[4].table is None, "a loop variable over unknown values is unknown, never guessed"


def test_dialect_guards() -> None:
    migration = parse(
        """
        def upgrade():
            bind = op.get_bind()
            if bind.dialect.name == "mysql":
                op.execute("ALTER TABLE users MODIFY COLUMN a bigint")
            else:
                op.alter_column("users", "a", type_=sa.BigInteger())
            if op.get_bind().dialect.name != "postgresql":
                op.drop_column("users", "b")
        """
    )
    mysql_only, other, not_pg = migration.ops()
    assert mysql_only.dialects == frozenset({"mysql"})
    assert "postgresql" in other.dialects and "mysql" not in other.dialects
    assert "postgresql" not in not_pg.dialects


def test_upgrade_and_downgrade_are_kept_apart() -> None:
    migration = parse(
        """
        def upgrade():
            op.add_column("users", sa.Column("a", sa.Integer()))

        def downgrade():
            op.drop_column("users", "a")
        """
    )
    assert kinds(migration, m.UPGRADE) == [m.ADD_COLUMN]
    assert kinds(migration, m.DOWNGRADE) == [m.DROP_COLUMN]


def test_tables_created_in_the_migration_are_new() -> None:
    migration = parse(
        """
        def upgrade():
            op.create_table("audit", sa.Column("id", sa.Integer(), primary_key=True))
            op.create_index("ix_audit", "audit", ["id"])
            op.create_index("ix_users", "users", ["id"])
        """
    )
    _, audit, users = migration.ops()
    assert audit.table_is_new and not users.table_is_new


def test_unknown_values_stay_unknown() -> None:
    migration = parse(
        """
        def upgrade():
            op.create_index("ix", TABLE_FROM_SETTINGS, ["a"], **options)
            op.add_column("users", make_column())
            op.execute(build_sql())
        """
    )
    index, column, execute = migration.ops()
    assert index.table is None and index.concurrently is None
    assert column.nullable is None
    assert execute.kind == m.UNRECOGNIZED


def test_module_constants_and_helpers_are_followed() -> None:
    migration = parse(
        """
        TABLE = "users"

        def upgrade():
            _drop_legacy()

        def _drop_legacy():
            op.drop_column(TABLE, "legacy")
        """
    )
    (drop,) = migration.ops()
    assert (drop.table, drop.column) == ("users", "legacy")


def test_column_facts() -> None:
    migration = parse(
        """
        def upgrade():
            op.add_column("users", sa.Column("a", sa.Integer(), nullable=False, server_default="0"))
            op.add_column("users", sa.Column("b", sa.DateTime(), server_default=sa.func.now()))
            op.add_column("users", sa.Column("c", sa.Integer(), sa.ForeignKey("orgs.id")))
            op.add_column("users", sa.Column("d", sa.BigInteger(), sa.Identity()))
        """
    )
    a, b, c, d = migration.ops()
    assert (a.nullable, a.has_default, a.default_sql, a.type) == (False, True, "'0'", "sa.Integer()")
    assert (b.default_sql, b.default_volatile) == ("now()", False)
    assert c.references == "orgs"
    assert d.get("identity") is True


def test_function_bodies() -> None:
    migration = parse(
        "def upgrade():\n    op.drop_table('a')\n\ndef downgrade():\n    raise NotImplementedError()\n"
    )
    assert migration.upgrade.present and not migration.upgrade.empty
    assert migration.downgrade.raises
    empty = parse("def upgrade():\n    pass\n")
    assert empty.upgrade.empty and not empty.downgrade.present


def test_python_syntax_error_is_a_problem_with_line() -> None:
    migration = parse_alembic("v.py", HEADER + "def upgrade(:\n    pass\n", "postgresql")
    assert migration.problems and migration.problems[0].location.line == 3


def test_sql_for_another_database_is_not_a_syntax_error() -> None:
    migration = parse(
        """
        def upgrade():
            dialect = op.get_bind().dialect.name
            if dialect == "mysql":
                op.execute("ALTER TABLE users MODIFY COLUMN a BIGINT NOT NULL")
            elif dialect == "mssql":
                op.execute("IF EXISTS (SELECT * FROM sys.triggers WHERE name = 't') DROP TRIGGER t;")
            else:
                op.execute("SELEC broken")
        """
    )
    # Only the branch that runs on the linted dialect (postgresql) may report invalid SQL...
    assert [p.location.line for p in migration.problems] == [13]
    # ...and the MySQL branch was read as MySQL.
    modify = next(op for op in migration.ops() if op.kind == m.ALTER_COLUMN_TYPE)
    assert modify.dialects == frozenset({"mysql"}) and modify.get("statement") == "MODIFY"
