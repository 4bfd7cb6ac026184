"""keys and exclusions on existing tables

Revision ID: f5ad6c7b8093
Revises: e49c5b6a7f82
Create Date: 2024-06-12 09:00:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "f5ad6c7b8093"
down_revision: str | None = "e49c5b6a7f82"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_primary_key("pk_order_events", "order_events", ["id"])  # expect: RS105, RS205
    op.create_exclude_constraint(  # expect: RS206, RS603
        "excl_promotions_period",
        "promotions",
        ("code", "="),
        ("valid_during", "&&"),
        using="gist",
    )


def downgrade() -> None:
    op.drop_constraint("excl_promotions_period", "promotions")
    op.drop_constraint("pk_order_events", "order_events", type_="primary")
