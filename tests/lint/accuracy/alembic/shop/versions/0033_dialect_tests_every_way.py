"""dialect tests written every way teams write them

Revision ID: 7d25e4f5a81b
Revises: 6c14d3e4f70a
Create Date: 2024-06-24 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

# revision identifiers, used by Alembic.
revision: str = "7d25e4f5a81b"
down_revision: str | None = "6c14d3e4f70a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    is_postgres = bind.dialect.name == "postgresql"
    if not is_postgres:
        op.drop_column("orders", "search_vector")
    if bind.dialect.name in ("mysql", "mariadb"):
        op.execute("ALTER TABLE orders DROP INDEX ix_orders_search, ALGORITHM=INPLACE")
    if not bind.dialect.name == "postgresql":
        op.drop_table("orders_search_shadow")
    if bind.dialect.name == "mysql" or bind.dialect.name == "sqlite":
        op.drop_column("orders", "search_blob")
    if is_postgres and not context.is_offline_mode():
        index_sql = sa.text("CREATE INDEX ix_orders_search ON orders USING gin (search_vector)")
        op.execute(index_sql.execution_options(autocommit=True))  # expect: RS101


def downgrade() -> None:
    op.drop_index("ix_orders_search", table_name="orders")
