"""create users (clean)

Revision ID: 1b10
Revises: 0a00
"""

import sqlalchemy as sa
from alembic import op

revision = "1b10"
down_revision = "0a00"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(255), nullable=True),
        sa.Column("name", sa.String(100), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("users")
