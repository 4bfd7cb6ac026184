"""add users.plan and users.country

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    # Unsafe: existing rows have no plan, and the running release inserts users without one.
    op.add_column("users", sa.Column("plan", sa.String(20), nullable=False))
    # Safe: a constant server default fills existing rows without a rewrite on Postgres >= 11.
    op.add_column("users", sa.Column("country", sa.String(2), nullable=False, server_default="US"))


def downgrade() -> None:
    op.drop_column("users", "country")
    op.drop_column("users", "plan")
