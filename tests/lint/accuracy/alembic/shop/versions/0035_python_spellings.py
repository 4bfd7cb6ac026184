"""person handle, team slug; retire the legacy sequence

Revision ID: 9f47a6b7c03d
Revises: 8e36f5a6b92c
Create Date: 2024-07-08 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9f47a6b7c03d"
down_revision = "8e36f5a6b92c"
branch_labels = None
depends_on = None


def _default_handle() -> str:
    return "'anonymous'"


def upgrade():
    op.execute("ALTER TABLE person RENAME actor_id TO ap_id")  # expect: RS501
    op.execute(sa.text("ALTER TABLE person ADD COLUMN flag int NOT NULL").params(f=1))  # expect: RS301
    op.add_column(  # expect: RS303, RS605
        "person",
        sa.Column("handle", sa.Text(), nullable=False, server_default=sa.text(_default_handle())),
    )
    op.add_column("team", sa.Column("slug", sa.Text(), unique=True))  # expect: RS204
    op.execute(sa.schema.DropSequence(sa.Sequence("person_legacy_seq")))  # expect: RS518
    op.execute("DROP TRIGGER IF EXISTS person_touch ON person")
    op.execute("DROP STATISTICS IF EXISTS person_name_stats")
    with op.get_context().autocommit_block():
        op.execute("ALTER TABLE events DETACH PARTITION events_2022 CONCURRENTLY")
    op.execute("ALTER TABLE events DETACH PARTITION events_2021")  # expect: RS698


def downgrade():
    op.drop_column("team", "slug")
    op.drop_column("person", "handle")
    op.drop_column("person", "flag")
    op.execute("ALTER TABLE person RENAME ap_id TO actor_id")
