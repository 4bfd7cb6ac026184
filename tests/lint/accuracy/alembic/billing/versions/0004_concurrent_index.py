"""index invoices.issued_at concurrently

Revision ID: b3d4e5f6a7c8
Revises: a2c3d4e5f6b7
Create Date: 2024-02-05 09:00:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "b3d4e5f6a7c8"
down_revision: str | None = "a2c3d4e5f6b7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# expect-none: concurrent index builds wait for no table lock, so no lock_timeout is needed.


def upgrade() -> None:
    with op.get_context().autocommit_block():
        op.create_index("ix_invoices_issued_at", "invoices", ["issued_at"], postgresql_concurrently=True)
        op.drop_index(
            "ix_invoices_number_old", table_name="invoices", postgresql_concurrently=True, if_exists=True
        )
    op.execute("ANALYZE invoices")


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.drop_index("ix_invoices_issued_at", table_name="invoices", postgresql_concurrently=True)
