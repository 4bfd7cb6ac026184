"""Generate an Alembic project with a long, realistic, fully reversible history (for the verify
benchmarks). Every fifth revision creates a table; the others add columns, indexes, checks,
unique keys and enums to it, each with a downgrade that undoes it exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

ALEMBIC_INI = """[alembic]
script_location = %(here)s/migrations
prepend_sys_path = %(here)s
path_separator = os
sqlalchemy.url = postgresql+psycopg://localhost/placeholder
"""

ENV_PY = """from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlalchemy.engine import Connection

config = context.config
target_metadata = None


def run_migrations(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


# A connection or engine handed in by a test tool (pytest-alembic needs this), else the URL.
handed = config.attributes.get("connection")
if isinstance(handed, Connection):
    run_migrations(handed)
else:
    connectable = handed or engine_from_config(
        config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
        run_migrations(connection)
"""

REVISION = '''"""{message}"""

import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = {down_revision!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
{upgrade}


def downgrade() -> None:
{downgrade}
'''


def _steps(index: int, table: str, previous: str | None) -> tuple[str, str, str]:
    """(message, upgrade body, downgrade body) for revision `index` working on `table`."""
    kind = index % 5
    if kind == 0:
        reference = (
            f'sa.Column("parent_id", sa.Integer(), sa.ForeignKey("{previous}.id"), nullable=True),'
            if previous
            else ""
        )
        return (
            f"create {table}",
            f'    op.create_table("{table}", sa.Column("id", sa.Integer(), primary_key=True),'
            f' sa.Column("name", sa.String(50), nullable=False), {reference}'
            f' sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False))\n'
            f'    op.create_index("ix_{table}_name", "{table}", ["name"])',
            f'    op.drop_index("ix_{table}_name", table_name="{table}")\n    op.drop_table("{table}")',
        )
    if kind == 1:
        return (
            f"add {table}.note",
            f'    op.add_column("{table}", sa.Column("note", sa.Text(), nullable=True))',
            f'    op.drop_column("{table}", "note")',
        )
    if kind == 2:
        return (
            f"add {table}.amount with a check",
            f'    op.add_column("{table}", sa.Column("amount", sa.Numeric(10, 2), nullable=False,'
            f' server_default="1"))\n'
            f'    op.create_check_constraint("ck_{table}_amount", "{table}", "amount > 0")',
            f'    op.drop_constraint("ck_{table}_amount", "{table}", type_="check")\n'
            f'    op.drop_column("{table}", "amount")',
        )
    if kind == 3:
        return (
            f"unique {table}.name",
            f'    op.create_unique_constraint("uq_{table}_name", "{table}", ["name"])',
            f'    op.drop_constraint("uq_{table}_name", "{table}", type_="unique")',
        )
    return (
        f"add {table}.state enum",
        f'    state = sa.Enum("draft", "live", name="{table}_state")\n'
        f"    state.create(op.get_bind())\n"
        f'    op.add_column("{table}", sa.Column("state", state, nullable=True))',
        f'    op.drop_column("{table}", "state")\n    sa.Enum(name="{table}_state").drop(op.get_bind())',
    )


def generate(directory: Path, revisions: int = 100) -> Path:
    """Write the project into `directory` (replacing it); return its alembic.ini."""
    if directory.exists():
        shutil.rmtree(directory)
    versions = directory / "migrations" / "versions"
    versions.mkdir(parents=True)
    (directory / "alembic.ini").write_text(ALEMBIC_INI)
    (directory / "migrations" / "env.py").write_text(ENV_PY)
    down: str | None = None
    previous_table: str | None = None
    for index in range(revisions):
        table = f"t{index // 5:03d}"
        if index % 5 == 0 and index:
            previous_table = f"t{index // 5 - 1:03d}"
        revision = f"r{index:04d}"
        message, upgrade, downgrade = _steps(index, table, previous_table)
        (versions / f"{revision}_{message.split()[0]}_{table}.py").write_text(
            REVISION.format(
                message=message, revision=revision, down_revision=down, upgrade=upgrade, downgrade=downgrade
            )
        )
        down = revision
    return directory / "alembic.ini"
