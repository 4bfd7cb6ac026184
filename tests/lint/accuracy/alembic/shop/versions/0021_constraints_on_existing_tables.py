"""constraints on existing tables

Revision ID: b16f2e3d4c59
Revises: a05e1d2c3b48
Create Date: 2024-05-27 09:45:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "b16f2e3d4c59"
down_revision: str | None = "a05e1d2c3b48"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_check_constraint("ck_orders_total_positive", "orders", "total >= 0")  # expect: RS202
    op.create_foreign_key(  # expect: RS201, RS603, RS605
        "fk_orders_customer_id", "orders", "customers", ["customer_id"], ["id"], ondelete="CASCADE"
    )
    op.create_unique_constraint(  # expect: RS105, RS204
        "uq_customers_phone_number", "customers", ["phone_number"]
    )
    op.drop_constraint("fk_orders_customer_id_customers", "orders", type_="foreignkey")  # expect: RS207


def downgrade() -> None:
    op.create_foreign_key("fk_orders_customer_id_customers", "orders", "customers", ["customer_id"], ["id"])
    op.drop_constraint("uq_customers_phone_number", "customers", type_="unique")
    op.drop_constraint("fk_orders_customer_id", "orders", type_="foreignkey")
    op.drop_constraint("ck_orders_total_positive", "orders", type_="check")
