"""indexes built concurrently, but inside the transaction

Revision ID: d38b4a5f6e71
Revises: c27a3f4e5d60
Create Date: 2024-06-10 09:00:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "d38b4a5f6e71"
down_revision: str | None = "c27a3f4e5d60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_orders_total", "orders", ["total"], postgresql_concurrently=True)  # expect: RS102
    op.drop_index("ix_orders_currency", table_name="orders", postgresql_concurrently=True)  # expect: RS102


def downgrade() -> None:
    op.create_index("ix_orders_currency", "orders", ["currency"])
    op.drop_index("ix_orders_total", table_name="orders")
