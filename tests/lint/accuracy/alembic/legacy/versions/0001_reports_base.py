"""reports base (its id is also the shop project's first revision: another project)

Revision ID: 1f0c6a2b9d11
Revises:
Create Date: 2023-06-01 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "1f0c6a2b9d11"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# expect-none


def upgrade() -> None:
    op.create_table("reports", sa.Column("id", sa.BigInteger(), primary_key=True))


def downgrade() -> None:
    op.drop_table("reports")
