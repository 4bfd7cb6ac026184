"""rename users.name to full_name

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
    with op.batch_alter_table("users") as batch:
        batch.alter_column(
            "name", new_column_name="full_name", existing_type=sa.String(100), existing_nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.alter_column(
            "full_name", new_column_name="name", existing_type=sa.String(100), existing_nullable=False
        )
