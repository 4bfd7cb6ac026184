"""order status default and backfill in one go

Revision ID: 6c1a7f8e9d04
Revises: 5b0f6e7d8c93
Create Date: 2024-04-22 17:30:41.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "6c1a7f8e9d04"
down_revision: str | None = "5b0f6e7d8c93"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("ALTER TYPE order_status ADD VALUE 'on_hold'")
    op.execute(
        "UPDATE orders SET status = 'on_hold' WHERE payment_state = 'disputed'"  # expect: RS506, RS701
    )


def downgrade() -> None:
    op.execute("UPDATE orders SET status = 'paid' WHERE status = 'on_hold'")
