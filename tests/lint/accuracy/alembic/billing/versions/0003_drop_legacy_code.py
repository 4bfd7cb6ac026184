"""drop invoice_lines.legacy_code

Revision ID: a2c3d4e5f6b7
Revises: f1b2c3d4e5a6
Create Date: 2024-01-29 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "a2c3d4e5f6b7"
down_revision: str | None = "f1b2c3d4e5a6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '3s'")
    op.add_column("invoices", sa.Column("pdf_url", sa.Text(), nullable=True))
    op.drop_column("invoice_lines", "legacy_code")  # expect: RS511


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '3s'")
    op.add_column("invoice_lines", sa.Column("legacy_code", sa.String(length=8), nullable=True))
    op.drop_column("invoices", "pdf_url")
