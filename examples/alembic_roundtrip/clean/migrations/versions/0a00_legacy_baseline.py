"""legacy baseline: the schema before this history began; it cannot be undone

Revision ID: 0a00
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0a00"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=True),
    )


def downgrade() -> None:
    raise NotImplementedError("the legacy baseline cannot be downgraded")
