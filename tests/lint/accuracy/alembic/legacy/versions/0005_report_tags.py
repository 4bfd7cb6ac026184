"""report tags

Revision ID: 5e5e5e5e5e5e
Revises: 2b2b2b2b2b2b
Create Date: 2023-06-22 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "5e5e5e5e5e5e"  # expect: RS803, RS804
down_revision: str | None = "2b2b2b2b2b2b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table("report_tags", sa.Column("id", sa.BigInteger(), primary_key=True))


def downgrade() -> None:
    op.drop_table("report_tags")
