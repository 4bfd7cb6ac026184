"""report schedules

Revision ID: 2b2b2b2b2b2b
Revises: 1f0c6a2b9d11
Create Date: 2023-06-08 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "2b2b2b2b2b2b"
down_revision: str | None = "1f0c6a2b9d11"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# expect-none: not a head, 5e5e5e5e5e5e builds on it


def upgrade() -> None:
    op.create_table("report_schedules", sa.Column("id", sa.BigInteger(), primary_key=True))


def downgrade() -> None:
    op.drop_table("report_schedules")
