"""base: accounts"""

# expect-none
import sqlalchemy as sa
from alembic import op

revision = "aaa111"
down_revision = None


def upgrade():
    op.create_table(
        "accounts",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("name", sa.String(length=20), nullable=False),
    )


def downgrade():
    op.drop_table("accounts")
