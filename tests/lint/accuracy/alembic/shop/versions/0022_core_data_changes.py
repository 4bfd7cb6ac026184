"""normalise statuses with SQLAlchemy Core

Revision ID: c27a3f4e5d60
Revises: b16f2e3d4c59
Create Date: 2024-06-03 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "c27a3f4e5d60"
down_revision: str | None = "b16f2e3d4c59"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

orders = sa.table("orders", sa.column("id", sa.BigInteger), sa.column("status", sa.String))
order_events = sa.table("order_events", sa.column("order_id", sa.BigInteger), sa.column("kind", sa.String))


def upgrade() -> None:
    op.create_table(
        "order_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("order_id", sa.BigInteger(), sa.ForeignKey("orders.id"), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
    )
    op.bulk_insert(order_events, [{"order_id": 1, "kind": "created"}])
    op.execute(orders.update().where(orders.c.status == "NEW").values(status="new"))  # expect: RS701
    op.execute(orders.delete())  # expect: RS701


def downgrade() -> None:
    op.drop_table("order_events")
