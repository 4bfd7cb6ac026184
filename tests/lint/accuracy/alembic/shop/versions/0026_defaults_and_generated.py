"""defaults and generated columns

Revision ID: 06be7d8c91a4
Revises: f5ad6c7b8093
Create Date: 2024-06-13 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "06be7d8c91a4"
down_revision: str | None = "f5ad6c7b8093"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.alter_column(  # expect: RS305
        "orders", "status", existing_type=sa.String(length=20), server_default=None
    )
    op.add_column(  # expect: RS402
        "promotions", sa.Column("seq", sa.BigInteger(), sa.Identity(always=True), nullable=False)
    )
    op.add_column(  # expect: RS402, RS605
        "promotions",
        sa.Column("code_upper", sa.String(length=32), sa.Computed("upper(code)", persisted=True)),
    )
    op.add_column(
        "customers", sa.Column("signup_source", sa.String(length=20), server_default=sa.text("'web'"))
    )


def downgrade() -> None:
    op.drop_column("customers", "signup_source")
    op.drop_column("promotions", "code_upper")
    op.drop_column("promotions", "seq")
    op.alter_column("orders", "status", existing_type=sa.String(length=20), server_default="new")
