"""coupons, with a foreign key added NOT VALID

Revision ID: 5d0b6a7f8e93
Revises: 4c9a5f6e7d82
Create Date: 2024-03-01 11:30:12.771200

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "5d0b6a7f8e93"
down_revision: str | None = "4c9a5f6e7d82"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coupons",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("percent_off", sa.SmallInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coupons")),
        sa.UniqueConstraint("code", name=op.f("uq_coupons_code")),
    )
    op.add_column("orders", sa.Column("coupon_id", sa.BigInteger(), nullable=True))
    op.create_foreign_key(  # expect: RS605
        op.f("fk_orders_coupon_id_coupons"),
        "orders",
        "coupons",
        ["coupon_id"],
        ["id"],
        postgresql_not_valid=True,
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_orders_coupon_id_coupons"), "orders", type_="foreignkey")
    op.drop_column("orders", "coupon_id")
    op.drop_table("coupons")
