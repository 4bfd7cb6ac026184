import sqlalchemy as sa
from storefront.models import orders, place_order


def test_migrated_database_is_at_head_with_reference_data(migrated_database):
    with migrated_database.engine().connect() as connection:
        version = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        house = connection.execute(
            sa.text("SELECT count(*) FROM customers WHERE email = 'house@example.com'")
        )
        assert (version, house.scalar()) == ("0002", 1)


def test_code_writes_to_migrated_schema(migrated_database):
    with migrated_database.engine().begin() as connection:
        order_id = place_order(connection, "ada@example.com", 1250)
        assert (
            connection.execute(sa.select(orders.c.total_cents).where(orders.c.id == order_id)).scalar()
            == 1250
        )


def test_each_test_gets_a_fresh_clone(migrated_database):
    # The previous test's order must not be visible: every test starts from the template.
    with migrated_database.engine().connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(orders)).scalar() == 0


def test_empty_database(releasesafe_database, releasesafe_server):
    assert releasesafe_database.dialect == releasesafe_server.dialect
    tables = sa.inspect(releasesafe_database.engine()).get_table_names()
    assert tables == []
