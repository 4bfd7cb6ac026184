"""report exports (a second branch from the base)

Revision ID: 3c3c3c3c3c3c
Revises: 1f0c6a2b9d11
Create Date: 2023-06-08 10:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "3c3c3c3c3c3c"  # expect: RS803
down_revision: str | None = "1f0c6a2b9d11"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table("report_exports", sa.Column("id", sa.BigInteger(), primary_key=True))


def downgrade() -> None:
    op.drop_table("report_exports")
