"""invoices.due_date

Revision ID: f1b2c3d4e5a6
Revises: e0a1b2c3d4f5
Create Date: 2024-01-22 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "f1b2c3d4e5a6"
down_revision: str | None = "e0a1b2c3d4f5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("invoices", sa.Column("due_date", sa.Date(), nullable=True))  # expect: RS602


def downgrade() -> None:
    op.drop_column("invoices", "due_date")
