import sqlalchemy as sa

metadata = sa.MetaData()

customers = sa.Table(
    "customers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(200), nullable=False, unique=True),
)

orders = sa.Table(
    "orders",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id"), nullable=False),
    sa.Column("total_cents", sa.Integer, nullable=False),
)


def place_order(connection: sa.Connection, email: str, total_cents: int) -> int:
    """Create the customer if needed and record an order; returns the order id."""
    customer_id = connection.execute(sa.select(customers.c.id).where(customers.c.email == email)).scalar()
    if customer_id is None:
        customer_id = connection.execute(customers.insert().values(email=email)).inserted_primary_key[0]
    result = connection.execute(orders.insert().values(customer_id=customer_id, total_cents=total_cents))
    return result.inserted_primary_key[0]
