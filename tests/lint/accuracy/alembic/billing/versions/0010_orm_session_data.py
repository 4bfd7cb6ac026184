"""data migration through an ORM session

Revision ID: b9d0e1f2a3c4
Revises: a8c9d0e1f2b3
Create Date: 2024-03-18 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "b9d0e1f2a3c4"
down_revision: str | None = "a8c9d0e1f2b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

from sqlalchemy import orm  # noqa: E402
from sqlalchemy.orm import declarative_base  # noqa: E402

Base = declarative_base()


class Invoice(Base):
    __tablename__ = "invoices"
    id = sa.Column(sa.BigInteger, primary_key=True)
    status = sa.Column(sa.String)
    note = sa.Column(sa.Text)


def upgrade() -> None:
    session = orm.Session(bind=op.get_bind())
    session.query(Invoice).filter(Invoice.status == "draft").update({"status": "issued"})  # expect: RS701
    session.execute(sa.update(Invoice).values(note=""))  # expect: RS701
    session.query(Invoice).filter_by(status="void").delete()  # expect: RS701
    session.commit()


def downgrade() -> None:
    pass
