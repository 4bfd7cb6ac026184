"""merge: both branches' tables are known"""

import sqlalchemy as sa
from alembic import op

revision = "ddd444"
down_revision = ("bbb222", "ccc333")


def upgrade():
    op.execute("SET lock_timeout = '5s'")
    op.alter_column("invoices", "amount", type_=sa.Numeric(10, 4))  # expect: RS401
    op.add_column("accounts", sa.Column("code", sa.String(length=8), nullable=True))
    op.create_unique_constraint(  # expect: RS105, RS204, RS603, RS605
        "accounts_code_key", "accounts", ["code"]
    )


def downgrade():
    # Dropping the column drops the unique constraint on it: upgrade() is fully undone.
    op.drop_column("accounts", "code")
    op.alter_column("invoices", "amount", type_=sa.Numeric(10, 2))
