"""shipping: raw SQL in one execute

Revision ID: 9f4d0c1b2a37
Revises: 8e3c9b0a1f26
Create Date: 2024-05-13 14:00:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "9f4d0c1b2a37"
down_revision: str | None = "8e3c9b0a1f26"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE orders ADD COLUMN carrier text;
        CREATE INDEX ix_orders_carrier ON orders (carrier);  -- expect: RS101, RS603
        UPDATE orders SET carrier = 'dhl' WHERE shipped_at IS NOT NULL;  -- expect: RS702
        """
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_orders_carrier; ALTER TABLE orders DROP COLUMN carrier")
