"""cascade order events with their order; backfill event kinds

Revision ID: 8e36f5a6b92c
Revises: 7d25e4f5a81b
Create Date: 2024-07-01 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "8e36f5a6b92c"
down_revision: str | None = "7d25e4f5a81b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

order_events = sa.Table(
    "order_events",
    sa.MetaData(),
    sa.Column("id", sa.BigInteger(), primary_key=True),
    sa.Column("event_kind", sa.String(length=20)),
)


def upgrade() -> None:
    # Same key, new ON DELETE rule: the naming convention names the new constraint like the old one.
    op.drop_constraint("fk_order_events_order_id", "order_events", type_="foreignkey")
    op.create_foreign_key(  # expect: RS201, RS603, RS605
        None, "order_events", "orders", ["order_id"], ["id"], ondelete="CASCADE"
    )

    conn = op.get_bind()
    kinds = conn.execute(sa.select(order_events.c.event_kind).distinct()).scalars().all()
    for kind in kinds:
        conn.execute(  # expect: RS702
            order_events.update().where(order_events.c.event_kind == kind).values(event_kind=kind.lower())
        )


def downgrade() -> None:
    op.drop_constraint("fk_order_events_order_id", "order_events", type_="foreignkey")
    op.create_foreign_key("fk_order_events_order_id", "order_events", "orders", ["order_id"], ["id"])
