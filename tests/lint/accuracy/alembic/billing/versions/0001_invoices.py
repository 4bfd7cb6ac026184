"""invoices

Revision ID: e0a1b2c3d4f5
Revises:
Create Date: 2024-01-15 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "e0a1b2c3d4f5"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# expect-none: new tables, their indexes and a seed row lock no running code.

invoice_status = sa.Enum("draft", "issued", "paid", "void", name="invoice_status")


def upgrade() -> None:
    op.create_table(
        "invoices",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("status", invoice_status, server_default="draft", nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_invoices_number", "invoices", ["number"], unique=True)
    op.create_table(
        "invoice_lines",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column(
            "invoice_id", sa.BigInteger(), sa.ForeignKey("invoices.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("legacy_code", sa.String(length=8), nullable=True),
    )
    op.create_index("ix_invoice_lines_invoice_id", "invoice_lines", ["invoice_id"])
    op.execute(
        "ALTER TABLE invoice_lines ADD CONSTRAINT ck_invoice_lines_description CHECK (description <> '')"
    )
    op.execute("INSERT INTO invoices (number, status, amount_cents) VALUES ('INV-0', 'void', 0)")


def downgrade() -> None:
    op.drop_table("invoice_lines")
    op.drop_table("invoices")
    invoice_status.drop(op.get_bind(), checkfirst=True)
