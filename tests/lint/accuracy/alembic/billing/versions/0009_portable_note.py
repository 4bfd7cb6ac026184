"""portable invoice note column

Revision ID: a8c9d0e1f2b3
Revises: f7b8c9d0e1a2
Create Date: 2024-03-11 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "a8c9d0e1f2b3"
down_revision: str | None = "f7b8c9d0e1a2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# SQLite gets its own branch; Postgres sets a timeout and builds the index concurrently, but the
# COMMIT before autocommit_block() ends Alembic's transaction by hand (autocommit_block() commits itself).


def upgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        with op.batch_alter_table("invoices", recreate="always") as batch_op:
            batch_op.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
            batch_op.create_index("ix_invoices_note", ["note"])
        return
    op.execute("SET LOCAL lock_timeout = '2s'")
    op.add_column("invoices", sa.Column("note", sa.Text(), nullable=False, server_default=""))
    op.execute("COMMIT")  # expect: RS699
    with op.get_context().autocommit_block():
        op.execute("CREATE INDEX CONCURRENTLY ix_invoices_note ON invoices (note)")


def downgrade() -> None:
    op.drop_index("ix_invoices_note", table_name="invoices")
    op.drop_column("invoices", "note")
