"""rename users.email to email_address

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column(
        "users", "email", new_column_name="email_address", existing_type=sa.String(200), existing_nullable=False
    )


def downgrade() -> None:
    op.alter_column(
        "users", "email_address", new_column_name="email", existing_type=sa.String(200), existing_nullable=False
    )
