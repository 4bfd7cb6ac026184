"""make users.email required and unique (BROKEN: downgrade leaves NOT NULL)

Revision ID: 3d30
Revises: 2c20
"""

import sqlalchemy as sa
from alembic import op

revision = "3d30"
down_revision = "2c20"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_users_email", "users", ["email"], unique=True)
    with op.batch_alter_table("users") as batch:
        batch.alter_column("email", existing_type=sa.String(255), nullable=False)


def downgrade() -> None:
    # Forgets op.alter_column("users", "email", existing_type=sa.String(255), nullable=True).
    op.drop_index("ix_users_email", table_name="users")
