"""payment methods; the downgrade forgets the table

Revision ID: d1f2a3b4c5e6
Revises: c0e1f2a3b4d5
Create Date: 2024-04-01 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "d1f2a3b4c5e6"
down_revision: str | None = "c0e1f2a3b4d5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '2s'")
    op.create_table(  # expect: RS802
        "payment_methods",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
    )
    op.add_column("invoices", sa.Column("payment_method_id", sa.BigInteger(), nullable=True))
    op.create_index("ix_payment_methods_kind", "payment_methods", ["kind"])


def downgrade() -> None:
    op.drop_column("invoices", "payment_method_id")
