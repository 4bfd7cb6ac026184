"""Sorted by file name this runs first; the revision graph puts it after z_base."""

import sqlalchemy as sa
from alembic import op

revision = "bbb222"
down_revision = "aaa111"


def upgrade():
    op.execute("SET lock_timeout = '5s'")
    op.alter_column("accounts", "name", type_=sa.String(length=10))  # expect: RS401
    op.alter_column("accounts", "name", type_=sa.String(length=80))  # expect: RS605


def downgrade():
    op.alter_column("accounts", "name", type_=sa.String(length=20))
