"""helpers for repetitive indexes

Revision ID: 8e3c9b0a1f26
Revises: 7d2b8a9f0e15
Create Date: 2024-05-06 09:00:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "8e3c9b0a1f26"
down_revision: str | None = "7d2b8a9f0e15"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXED = [("orders", "total"), ("orders", "currency"), ("customers", "tier")]


def _index(table: str, column: str) -> None:
    op.create_index(f"ix_{table}_{column}", table, [column])  # expect: RS101


def _concurrent_index(table: str, column: str) -> None:
    with op.get_context().autocommit_block():
        op.create_index(f"ix_{table}_{column}_c", table, [column], postgresql_concurrently=True)


def upgrade() -> None:
    for table, column in INDEXED:
        _index(table, column)
    _concurrent_index("customers", "created_at")


def downgrade() -> None:
    for table, column in INDEXED:
        op.drop_index(f"ix_{table}_{column}", table_name=table)
    op.drop_index("ix_customers_created_at_c", table_name="customers")
