"""foreign key NOT VALID and VALIDATE in one transaction

Revision ID: e49c5b6a7f82
Revises: d38b4a5f6e71
Create Date: 2024-06-11 09:00:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "e49c5b6a7f82"
down_revision: str | None = "d38b4a5f6e71"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_foreign_key(
        "fk_order_events_order_id",
        "order_events",
        "orders",
        ["order_id"],
        ["id"],
        postgresql_not_valid=True,
    )
    op.execute("ALTER TABLE order_events VALIDATE CONSTRAINT fk_order_events_order_id")  # expect: RS203
    op.create_check_constraint(
        "ck_order_events_kind", "order_events", "kind <> ''", postgresql_not_valid=True
    )


def downgrade() -> None:
    op.drop_constraint("ck_order_events_kind", "order_events", type_="check")
    op.drop_constraint("fk_order_events_order_id", "order_events", type_="foreignkey")
