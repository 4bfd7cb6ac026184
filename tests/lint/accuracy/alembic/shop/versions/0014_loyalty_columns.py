"""customers: loyalty columns

Revision ID: 4a9e5d6c7b82
Revises: 3f8d4c5b6a71
Create Date: 2024-04-15 12:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "4a9e5d6c7b82"
down_revision: str | None = "3f8d4c5b6a71"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("channel", sa.String(length=20), nullable=False))  # expect: RS301
    op.add_column("customers", sa.Column("preferences", sa.JSON(), nullable=True))  # expect: RS407
    op.add_column(  # expect: RS303, RS605
        "customers",
        sa.Column(
            "loyalty_id",
            sa.dialects.postgresql.UUID(),
            server_default=sa.text("gen_random_uuid()"),
            nullable=False,
        ),
    )
    op.alter_column("customers", "email", existing_type=sa.String(length=255), nullable=True)  # expect: RS304


def downgrade() -> None:
    op.alter_column("customers", "email", existing_type=sa.String(length=255), nullable=False)
    op.drop_column("customers", "loyalty_id")
    op.drop_column("customers", "preferences")
    op.drop_column("orders", "channel")
