"""branch: invoices"""

# expect-none
import sqlalchemy as sa
from alembic import op

revision = "ccc333"
down_revision = "aaa111"


def upgrade():
    op.create_table(
        "invoices",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("amount", sa.Numeric(10, 2)),
    )


def downgrade():
    op.drop_table("invoices")
