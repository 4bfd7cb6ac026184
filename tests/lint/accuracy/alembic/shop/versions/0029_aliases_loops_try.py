"""aliased op, loops and try blocks

Revision ID: 39e1a0b1c4d7
Revises: 28d09fa0b3c6
Create Date: 2024-06-18 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "39e1a0b1c4d7"
down_revision: str | None = "28d09fa0b3c6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

from alembic import op as migrate  # noqa: E402

SOFT_DELETE_TABLES = ("orders", "customers", "promotions")
INDEX_OPTIONS: dict[str, object] = {"postgresql_using": "btree"}


def upgrade() -> None:
    for table in SOFT_DELETE_TABLES:
        migrate.drop_column(table, "deleted_at")  # expect: RS511
    try:
        migrate.drop_constraint("uq_customers_phone_number", "customers", type_="unique")  # expect: RS207
    except Exception:
        pass
    migrate.create_index(  # expect: RS101, RS603
        "ix_promotions_code", "promotions", ["code"], **INDEX_OPTIONS
    )


def downgrade() -> None:
    migrate.drop_index("ix_promotions_code", table_name="promotions")
    migrate.create_unique_constraint("uq_customers_phone_number", "customers", ["phone_number"])
    for table in SOFT_DELETE_TABLES:
        migrate.add_column(table, sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
