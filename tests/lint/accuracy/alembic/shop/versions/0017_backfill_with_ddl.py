"""tier NOT NULL with a backfill

Revision ID: 7d2b8a9f0e15
Revises: 6c1a7f8e9d04
Create Date: 2024-05-02 10:10:10.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "7d2b8a9f0e15"
down_revision: str | None = "6c1a7f8e9d04"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("customers", sa.Column("segment", sa.String(length=20), nullable=True))
    op.execute("UPDATE customers SET segment = 'retail'")  # expect: RS603, RS702
    op.alter_column(  # expect: RS302
        "customers", "segment", existing_type=sa.String(length=20), nullable=False
    )


def downgrade() -> None:
    op.drop_column("customers", "segment")
