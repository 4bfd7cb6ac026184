"""a new table, reshaped in the same migration

Revision ID: 5b03c2d3e6f9
Revises: 4af2b1c2d5e8
Create Date: 2024-06-20 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "5b03c2d3e6f9"
down_revision: str | None = "4af2b1c2d5e8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# expect-none: every change touches the table this migration creates.


def upgrade() -> None:
    op.create_table(
        "gift_cards",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column("balance", sa.Integer(), nullable=True),
    )
    op.create_index("ix_gift_cards_code", "gift_cards", ["code"], unique=True)
    op.alter_column("gift_cards", "code", existing_type=sa.String(length=20), nullable=False)
    op.alter_column("gift_cards", "balance", existing_type=sa.Integer(), type_=sa.BigInteger())
    op.add_column("gift_cards", sa.Column("currency", sa.String(length=3), nullable=False))
    op.create_foreign_key("fk_gift_cards_customer", "gift_cards", "customers", ["id"], ["id"])
    op.rename_table("gift_cards", "vouchers")
    op.alter_column("vouchers", "balance", new_column_name="balance_cents")


def downgrade() -> None:
    op.drop_table("vouchers")
