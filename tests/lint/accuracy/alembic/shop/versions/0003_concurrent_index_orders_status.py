"""index orders.status concurrently

Revision ID: 3b8f4e5d6c71
Revises: 2a7e3d4c5b60
Create Date: 2024-02-12 08:02:17.550912

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "3b8f4e5d6c71"
down_revision: str | None = "2a7e3d4c5b60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# expect-none: CREATE INDEX CONCURRENTLY outside the migration's transaction.


def upgrade() -> None:
    with op.get_context().autocommit_block():
        op.create_index(
            "ix_orders_status",
            "orders",
            ["status"],
            unique=False,
            postgresql_concurrently=True,
            if_not_exists=True,
        )


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.drop_index("ix_orders_status", table_name="orders", postgresql_concurrently=True, if_exists=True)
