"""shorten users.name to 20 characters

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
    op.alter_column("users", "name", type_=sa.String(20), existing_type=sa.String(100), existing_nullable=True)


def downgrade() -> None:
    op.alter_column("users", "name", type_=sa.String(100), existing_type=sa.String(20), existing_nullable=True)
