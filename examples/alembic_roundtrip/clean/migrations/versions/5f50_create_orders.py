"""create orders with an enum, a check, a unique key and a foreign key (clean)

Revision ID: 5f50
Revises: 4e40
"""

import sqlalchemy as sa
from alembic import op

revision = "5f50"
down_revision = "4e40"
branch_labels = None
depends_on = None

order_status = sa.Enum("new", "paid", "shipped", name="order_status")


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("amount", sa.Numeric(10, 2), nullable=False),
        sa.Column("status", order_status, nullable=False, server_default="new"),
        sa.CheckConstraint("amount > 0", name="ck_orders_amount_positive"),
        sa.UniqueConstraint("user_id", "reference", name="uq_orders_user_reference"),
    )
    op.create_index("ix_orders_status", "orders", ["status"])


def downgrade() -> None:
    op.drop_index("ix_orders_status", table_name="orders")
    op.drop_table("orders")
    order_status.drop(op.get_bind(), checkfirst=True)
