"""invoice kinds on MySQL: append a value, reorder another enum

Revision ID: e2a3b4c5d6f7
Revises: d1f2a3b4c5e6
Create Date: 2024-04-08 09:00:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "e2a3b4c5d6f7"
down_revision: str | None = "d1f2a3b4c5e6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# dialect: mysql
# target-version: 84

from sqlalchemy.dialects import mysql  # noqa: E402


def upgrade() -> None:
    op.execute("SET SESSION lock_wait_timeout = 5")
    op.alter_column(
        "invoices",
        "kind",
        existing_type=mysql.ENUM("standard", "credit_note"),
        type_=mysql.ENUM("standard", "credit_note", "proforma"),
        existing_nullable=False,
    )
    op.alter_column(  # expect: RS605, RS901
        "invoices",
        "channel",
        existing_type=mysql.ENUM("web", "api"),
        type_=mysql.ENUM("api", "web"),
        existing_nullable=False,
    )


def downgrade() -> None:
    op.alter_column(
        "invoices", "channel", existing_type=mysql.ENUM("api", "web"), type_=mysql.ENUM("web", "api")
    )
    op.alter_column(
        "invoices",
        "kind",
        existing_type=mysql.ENUM("standard", "credit_note", "proforma"),
        type_=mysql.ENUM("standard", "credit_note"),
    )
