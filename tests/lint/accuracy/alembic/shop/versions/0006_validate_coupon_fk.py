"""validate the coupon foreign key

Revision ID: 6e1c7b8a9f04
Revises: 5d0b6a7f8e93
Create Date: 2024-03-08 09:12:40.000131

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "6e1c7b8a9f04"
down_revision: str | None = "5d0b6a7f8e93"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# expect-none: VALIDATE in a later migration than the NOT VALID add only takes SHARE UPDATE EXCLUSIVE.


def upgrade() -> None:
    op.execute("ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_coupon_id_coupons")


def downgrade() -> None:
    # A validated constraint cannot be made NOT VALID again, and need not be.
    pass
