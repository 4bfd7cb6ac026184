"""reporting view

Revision ID: e6a7b8c9d0f1
Revises: d5f6a7b8c9e0
Create Date: 2024-02-26 09:00:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "e6a7b8c9d0f1"
down_revision: str | None = "d5f6a7b8c9e0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        CREATE OR REPLACE VIEW invoice_totals AS
        SELECT i.id, i.number, count(l.id) AS lines
        FROM invoices i LEFT JOIN invoice_lines l ON l.invoice_id = i.id
        GROUP BY i.id, i.number
        """
    )


def downgrade() -> None:  # expect: RS801
    raise NotImplementedError("irreversible: reporting depends on invoice_totals")
