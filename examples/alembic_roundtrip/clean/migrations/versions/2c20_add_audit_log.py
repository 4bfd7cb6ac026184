"""add users.created_at and an audit_log table

Revision ID: 2c20
Revises: 1b10
"""

import sqlalchemy as sa
from alembic import op

revision = "2c20"
down_revision = "1b10"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("created_at", sa.DateTime(), nullable=True))
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_log")
    with op.batch_alter_table("users") as batch:  # batch mode: SQLite rebuilds the table
        batch.drop_column("created_at")
