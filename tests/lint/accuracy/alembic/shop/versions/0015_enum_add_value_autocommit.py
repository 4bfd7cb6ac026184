"""add 'refunded' to order_status

Revision ID: 5b0f6e7d8c93
Revises: 4a9e5d6c7b82
Create Date: 2024-04-20 08:00:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "5b0f6e7d8c93"
down_revision: str | None = "4a9e5d6c7b82"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# expect-none: ADD VALUE committed on its own before anything uses the new label.


def upgrade() -> None:
    with op.get_context().autocommit_block():
        op.execute("ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'paid'")


def downgrade() -> None:
    # Postgres cannot drop an enum label; the value stays unused after a downgrade.
    op.execute("SELECT 1")
