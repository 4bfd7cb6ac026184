"""orders

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("total_cents", sa.Integer, nullable=False),
    )
    # Reference data the code relies on: templates must carry rows, not only the schema.
    op.execute("INSERT INTO customers (email) VALUES ('house@example.com')")


def downgrade() -> None:
    op.drop_table("orders")
