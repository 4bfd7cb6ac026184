"""a revision cut off mid-edit: its down_revision line is gone and it does not parse"""

from alembic import op


def upgrade(:  # expect: RS001
    op.drop_table("person_archive")
