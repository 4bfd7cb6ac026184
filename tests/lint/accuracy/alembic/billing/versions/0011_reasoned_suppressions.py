"""reasoned suppressions

Revision ID: c0e1f2a3b4d5
Revises: b9d0e1f2a3c4
Create Date: 2024-03-25 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "c0e1f2a3b4d5"
down_revision: str | None = "b9d0e1f2a3c4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '2s'")
    # releasesafe: ignore[RS511] invoices.pdf_url unread since release 42 (compat report attached to the PR)
    op.drop_column("invoices", "pdf_url")
    op.drop_column("invoices", "legacy_total")  # releasesafe: ignore[RS511]
    # expect-line-above: RS004, RS605
    op.drop_column("invoices", "note")  # releasesafe: ignore[RS101] wrong rule named
    # expect-line-above: RS003, RS511

    op.drop_column("invoices", "old_status")  # releasesafe: ignore[RS511] unread since release 40
    op.drop_column(  # expect: RS511
        "invoices", "old_currency"
    )


def downgrade() -> None:
    op.add_column("invoices", sa.Column("old_currency", sa.CHAR(3), nullable=True))
    op.add_column("invoices", sa.Column("old_status", sa.Text(), nullable=True))
    op.add_column("invoices", sa.Column("note", sa.Text(), nullable=True))
    op.add_column("invoices", sa.Column("legacy_total", sa.Integer(), nullable=True))
    op.add_column("invoices", sa.Column("pdf_url", sa.Text(), nullable=True))
