"""downgrade-only danger is not judged as an upgrade

Revision ID: 6c14d3e4f70a
Revises: 5b03c2d3e6f9
Create Date: 2024-06-21 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "6c14d3e4f70a"
down_revision: str | None = "5b03c2d3e6f9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# expect-none: the upgrade is additive; the downgrade may drop what the upgrade added.


def upgrade() -> None:
    op.create_table(
        "referrals",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("customer_id", sa.BigInteger(), sa.ForeignKey("customers.id"), nullable=False),
    )
    op.add_column("customers", sa.Column("referral_code", sa.String(length=16), nullable=True))


def downgrade() -> None:
    op.drop_column("customers", "referral_code")
    op.drop_table("referrals")
    op.execute("DROP INDEX IF EXISTS ix_referrals_customer_id")
