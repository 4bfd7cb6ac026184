"""coupons become promotions; drop archived orders

Revision ID: a05e1d2c3b48
Revises: 9f4d0c1b2a37
Create Date: 2024-05-20 11:11:11.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "a05e1d2c3b48"
down_revision: str | None = "9f4d0c1b2a37"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.rename_table("coupons", "promotions")  # expect: RS502
    op.drop_table("archived_orders")  # expect: RS512


def downgrade() -> None:
    op.create_table(
        "archived_orders",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("payload", sa.dialects.postgresql.JSONB(), nullable=False),
    )
    op.rename_table("promotions", "coupons")
