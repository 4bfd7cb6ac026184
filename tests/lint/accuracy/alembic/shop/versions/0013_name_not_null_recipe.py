"""customers.name NOT NULL via a validated CHECK

Revision ID: 3f8d4c5b6a71
Revises: 2e7c3b4a5f60
Create Date: 2024-04-10 10:00:12.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "3f8d4c5b6a71"
down_revision: str | None = "2e7c3b4a5f60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# Postgres 12+ skips the SET NOT NULL scan when a validated CHECK proves the column has no NULLs.


def upgrade() -> None:
    op.execute(
        "ALTER TABLE customers ADD CONSTRAINT customers_name_not_null CHECK (name IS NOT NULL) NOT VALID"
    )
    op.execute("COMMIT")  # expect: RS699 (ends Alembic's transaction: autocommit_block() is the way)
    op.execute("ALTER TABLE customers VALIDATE CONSTRAINT customers_name_not_null")
    op.alter_column("customers", "name", existing_type=sa.String(length=200), nullable=False)
    op.drop_constraint("customers_name_not_null", "customers", type_="check")  # expect: RS605


def downgrade() -> None:
    op.alter_column("customers", "name", existing_type=sa.String(length=200), nullable=True)
