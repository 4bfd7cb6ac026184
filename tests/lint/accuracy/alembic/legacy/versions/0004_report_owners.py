"""report owners (its parent was deleted)

Revision ID: 4d4d4d4d4d4d
Revises: 9e9e9e9e9e9e
Create Date: 2023-06-15 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "4d4d4d4d4d4d"  # expect: RS803, RS805
down_revision: str | None = "9e9e9e9e9e9e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table("report_owners", sa.Column("id", sa.BigInteger(), primary_key=True))


def downgrade() -> None:
    op.drop_table("report_owners")
