"""orders.currency NOT NULL, step 1: CHECK NOT VALID

Revision ID: 2e7c3b4a5f60
Revises: 1d6b2a3f4e59
Create Date: 2024-04-03 10:00:12.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "2e7c3b4a5f60"
down_revision: str | None = "1d6b2a3f4e59"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# The first step of the SET NOT NULL recipe is instant (the two ALTERs could still be one).


def upgrade() -> None:
    op.add_column("orders", sa.Column("shipped_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "ALTER TABLE orders ADD CONSTRAINT orders_shipped_at_not_null "  # expect: RS605
        "CHECK (shipped_at IS NOT NULL OR status <> 'shipped') NOT VALID"
    )


def downgrade() -> None:
    op.drop_constraint("orders_shipped_at_not_null", "orders", type_="check")
    op.drop_column("orders", "shipped_at")
