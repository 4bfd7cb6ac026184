"""expand: add users.email_address next to email

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
    op.add_column("users", sa.Column("email_address", sa.String(200), nullable=True))
    op.execute("UPDATE users SET email_address = email")


def downgrade() -> None:
    op.drop_column("users", "email_address")
