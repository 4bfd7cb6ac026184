"""invoice attachments on MySQL

Revision ID: f7b8c9d0e1a2
Revises: e6a7b8c9d0f1
Create Date: 2024-03-04 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "f7b8c9d0e1a2"
down_revision: str | None = "e6a7b8c9d0f1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# dialect: mysql
# target-version: 84


def upgrade() -> None:
    op.add_column("invoices", sa.Column("attachment_id", sa.BigInteger(), nullable=True))  # expect: RS602
    op.create_foreign_key(  # expect: RS201, RS605
        "fk_invoices_attachment_id", "invoices", "attachments", ["attachment_id"], ["id"]
    )
    op.drop_column("invoice_lines", "description")  # expect: RS511


def downgrade() -> None:
    op.add_column("invoice_lines", sa.Column("description", sa.Text(), nullable=True))
    op.drop_constraint("fk_invoices_attachment_id", "invoices", type_="foreignkey")
    op.drop_column("invoices", "attachment_id")
