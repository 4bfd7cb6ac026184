"""backfill customer tier in batches

Revision ID: 7f2d8c9b0a15
Revises: 6e1c7b8a9f04
Create Date: 2024-03-08 09:40:02.310771

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "7f2d8c9b0a15"
down_revision: str | None = "6e1c7b8a9f04"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# expect-none: a batched backfill outside the migration's transaction.

BATCH = 5000


def upgrade() -> None:
    op.add_column("customers", sa.Column("tier", sa.String(length=20), nullable=True))
    bind = op.get_bind()
    with op.get_context().autocommit_block():
        while True:
            result = bind.execute(
                sa.text(
                    "UPDATE customers SET tier = 'standard' "
                    "WHERE id IN (SELECT id FROM customers WHERE tier IS NULL ORDER BY id LIMIT :batch)"
                ),
                {"batch": BATCH},
            )
            if result.rowcount == 0:
                break


def downgrade() -> None:
    op.drop_column("customers", "tier")
