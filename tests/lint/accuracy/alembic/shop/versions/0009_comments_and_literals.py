"""document tables; comments and literals that mention DDL

Revision ID: 9b4f0e1d2c37
Revises: 8a3e9d0c1b26
Create Date: 2024-03-18 10:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "9b4f0e1d2c37"
down_revision: str | None = "8a3e9d0c1b26"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# expect-none: nothing here changes a table, whatever the comments and strings say.
#
# History: we used to run `DROP TABLE legacy_orders` and `ALTER TABLE orders DROP COLUMN note`
# by hand here; both were done in 2023.


def upgrade() -> None:
    op.execute("COMMENT ON TABLE orders IS 'Do not DROP COLUMN legacy_ref: the export job reads it'")
    op.execute(
        sa.text(
            "COMMENT ON COLUMN customers.email IS "
            "'Lower-cased. (An earlier ALTER TABLE customers RENAME COLUMN mail TO email renamed it.)'"
        )
    )
    op.create_table_comment("coupons", "CREATE INDEX on code is the unique constraint's")
    # op.drop_table("coupons")  -- kept for the next release, see ADR-14
    note = "TRUNCATE audit_log; -- only in the nightly job, never in a migration"
    op.execute(sa.text("SELECT set_config('app.migration_note', :note, true)").bindparams(note=note))


def downgrade() -> None:
    op.execute("COMMENT ON TABLE orders IS NULL")
    op.execute("COMMENT ON COLUMN customers.email IS NULL")
    op.drop_table_comment("coupons")
