"""widen orders.total to bigint

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
    op.alter_column("orders", "total", type_=sa.BigInteger, existing_type=sa.Integer)


def downgrade() -> None:
    op.alter_column("orders", "total", type_=sa.Integer, existing_type=sa.BigInteger)
