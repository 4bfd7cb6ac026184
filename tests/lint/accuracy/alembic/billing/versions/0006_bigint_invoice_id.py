"""amount_cents to bigint everywhere

Revision ID: d5f6a7b8c9e0
Revises: c4e5f6a7b8d9
Create Date: 2024-02-19 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "d5f6a7b8c9e0"
down_revision: str | None = "c4e5f6a7b8d9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("SET statement_timeout = '10min'")
    op.alter_column(  # expect: RS401, RS602
        "invoice_lines",
        "invoice_id",
        existing_type=sa.Integer(),
        type_=sa.BigInteger(),
        existing_nullable=False,
    )
    op.alter_column(
        "invoices",
        "number",
        existing_type=sa.String(length=32),
        type_=sa.Text(),
        existing_nullable=False,
    )


def downgrade() -> None:
    op.alter_column("invoices", "number", existing_type=sa.Text(), type_=sa.String(length=32))
    op.alter_column("invoice_lines", "invoice_id", existing_type=sa.BigInteger(), type_=sa.Integer())
