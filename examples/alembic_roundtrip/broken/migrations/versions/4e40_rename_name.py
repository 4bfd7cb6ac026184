"""rename users.name to full_name (BROKEN: downgrade loses the names)

Revision ID: 4e40
Revises: 3d30
"""

import sqlalchemy as sa
from alembic import op

revision = "4e40"
down_revision = "3d30"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column(
        "users", "name", new_column_name="full_name", existing_type=sa.String(100), existing_nullable=False
    )


def downgrade() -> None:
    # Re-creates the old column empty instead of renaming back: same schema, data gone.
    op.add_column("users", sa.Column("name", sa.String(100), nullable=False, server_default=""))
    op.alter_column("users", "name", existing_type=sa.String(100), server_default=None)
    op.drop_column("users", "full_name")
