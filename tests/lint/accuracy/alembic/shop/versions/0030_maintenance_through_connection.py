"""maintenance through the connection

Revision ID: 4af2b1c2d5e8
Revises: 39e1a0b1c4d7
Create Date: 2024-06-19 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "4af2b1c2d5e8"
down_revision: str | None = "39e1a0b1c4d7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    conn = op.get_bind()
    with op.get_context().autocommit_block():
        conn.exec_driver_sql("VACUUM FULL order_events")  # expect: RS405
        conn.execute(sa.text("REINDEX TABLE CONCURRENTLY order_events"))
        conn.execute(sa.text("CLUSTER promotions USING pk_promotions"))  # expect: RS406
    conn.execute(sa.text("UPDATE promotions SET code = upper(code)"))  # expect: RS701


def downgrade() -> None:
    pass
