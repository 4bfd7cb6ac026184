"""raw SQL kept in constants and f-strings

Revision ID: 17cf8e9da2b5
Revises: 06be7d8c91a4
Create Date: 2024-06-14 09:00:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "17cf8e9da2b5"
down_revision: str | None = "06be7d8c91a4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "order_events"
LOCK_SQL = "LOCK TABLE promotions IN SHARE MODE"
DEDUPE_SQL = """
DELETE FROM order_events a
USING order_events b
WHERE a.id > b.id AND a.order_id = b.order_id AND a.kind = b.kind
"""


def upgrade() -> None:
    op.execute(LOCK_SQL)  # expect: RS601
    op.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS legacy_payload")  # expect: RS511
    op.execute(DEDUPE_SQL)  # expect: RS603, RS702
    op.execute(f"TRUNCATE {TABLE}_staging")  # expect: RS520


def downgrade() -> None:
    op.execute(f"ALTER TABLE {TABLE} ADD COLUMN legacy_payload jsonb")
