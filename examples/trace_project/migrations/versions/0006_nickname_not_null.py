"""make accounts.nickname NOT NULL

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column("accounts", "nickname", nullable=False, existing_type=sa.String(50))


def downgrade() -> None:
    op.alter_column("accounts", "nickname", nullable=True, existing_type=sa.String(50))
