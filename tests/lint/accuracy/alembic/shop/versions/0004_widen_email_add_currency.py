"""widen customer email, add order currency

Revision ID: 4c9a5f6e7d82
Revises: 3b8f4e5d6c71
Create Date: 2024-02-20 16:45:00.004411

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "4c9a5f6e7d82"
down_revision: str | None = "3b8f4e5d6c71"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# expect-none: varchar widening and a constant default rewrite nothing on Postgres 11+.


def upgrade() -> None:
    op.alter_column(
        "customers",
        "email",
        existing_type=sa.VARCHAR(length=120),
        type_=sa.String(length=255),
        existing_nullable=False,
    )
    op.add_column("orders", sa.Column("currency", sa.String(length=3), server_default="EUR", nullable=False))


def downgrade() -> None:
    op.drop_column("orders", "currency")
    op.alter_column(
        "customers",
        "email",
        existing_type=sa.String(length=255),
        type_=sa.VARCHAR(length=120),
        existing_nullable=False,
    )
