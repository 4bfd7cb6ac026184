"""batch operations on an existing table

Revision ID: 28d09fa0b3c6
Revises: 17cf8e9da2b5
Create Date: 2024-06-17 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "28d09fa0b3c6"
down_revision: str | None = "17cf8e9da2b5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("order_events") as batch_op:
        batch_op.alter_column("order_id", existing_type=sa.Integer(), type_=sa.BigInteger())  # expect: RS401
        batch_op.alter_column("kind", new_column_name="event_kind")  # expect: RS501
        batch_op.add_column(sa.Column("source", sa.String(length=20), nullable=True))
        batch_op.create_index("ix_order_events_source", ["source"])  # expect: RS101, RS603
        batch_op.create_unique_constraint(  # expect: RS105, RS204
            "uq_order_events_order_kind", ["order_id", "event_kind"]
        )


def downgrade() -> None:
    with op.batch_alter_table("order_events") as batch_op:
        batch_op.drop_constraint("uq_order_events_order_kind", type_="unique")
        batch_op.drop_index("ix_order_events_source")
        batch_op.drop_column("source")
        batch_op.alter_column("event_kind", new_column_name="kind")
        batch_op.alter_column("order_id", existing_type=sa.BigInteger(), type_=sa.Integer())
