"""order created_at index per dialect

Revision ID: 8a3e9d0c1b26
Revises: 7f2d8c9b0a15
Create Date: 2024-03-15 13:03:29.990017

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "8a3e9d0c1b26"
down_revision: str | None = "7f2d8c9b0a15"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# expect-none: each database gets its own branch; Postgres builds the index concurrently.


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        with op.get_context().autocommit_block():
            op.execute("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_orders_updated_at ON orders (updated_at)")
    elif dialect == "mysql":
        op.execute(
            "ALTER TABLE orders ADD INDEX ix_orders_updated_at (updated_at), ALGORITHM=INPLACE, LOCK=NONE"
        )
    else:
        op.create_index("ix_orders_updated_at", "orders", ["updated_at"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.execute("DROP INDEX CONCURRENTLY IF EXISTS ix_orders_updated_at")
    else:
        op.drop_index("ix_orders_updated_at", table_name="orders")
