"""index users.name lower-cased, concurrently (safe)

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.add_column("users", sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()))
    with op.get_context().autocommit_block():
        op.create_index("ix_users_created_at", "users", ["created_at"], postgresql_concurrently=True)


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.drop_index("ix_users_created_at", table_name="users", postgresql_concurrently=True)
    op.drop_column("users", "created_at")
