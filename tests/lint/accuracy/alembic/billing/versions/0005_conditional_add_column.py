"""invoices.currency, only where missing

Revision ID: c4e5f6a7b8d9
Revises: b3d4e5f6a7c8
Create Date: 2024-02-12 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "c4e5f6a7b8d9"
down_revision: str | None = "b3d4e5f6a7c8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    conn = op.get_bind()
    exists = conn.execute(
        sa.text(
            "SELECT 1 FROM information_schema.columns WHERE table_name = 'invoices' AND column_name = 'currency'"
        )
    ).scalar()
    if not exists:
        op.add_column(  # expect: RS602
            "invoices", sa.Column("currency", sa.CHAR(3), server_default="EUR", nullable=False)
        )


def downgrade() -> None:
    op.drop_column("invoices", "currency")
