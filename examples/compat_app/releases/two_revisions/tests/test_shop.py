"""Release 2 tests: users.name is gone, so a user is just an email.

Run against another release's migrations with `pytest --releasesafe-schema-from=PATH`.
"""

from decimal import Decimal

from app.models import Order, User
from sqlalchemy import select
from sqlalchemy.orm import Session


def test_a_user_places_an_order(migrated_database):
    with Session(migrated_database.engine()) as session:
        user = User(email="ada@example.com")
        session.add(user)
        session.flush()
        session.add(Order(user_id=user.id, total=Decimal("12.50"), note="gift wrap"))
        session.commit()

        order = session.scalars(select(Order)).one()
        assert (order.total, session.get(User, order.user_id).email) == (Decimal("12.50"), "ada@example.com")
