"""rename customers.phone to phone_number

Revision ID: 0c5a1f2e3d48
Revises: 9b4f0e1d2c37
Create Date: 2024-03-25 15:22:01.102910

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0c5a1f2e3d48"
down_revision: str | None = "9b4f0e1d2c37"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.alter_column("customers", "phone", new_column_name="phone_number")  # expect: RS501


def downgrade() -> None:
    op.alter_column("customers", "phone_number", new_column_name="phone")
