"""orders.account_id references accounts.id

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_foreign_key("fk_orders_account", "orders", "accounts", ["account_id"], ["id"])


def downgrade() -> None:
    op.drop_constraint("fk_orders_account", "orders", type_="foreignkey")
