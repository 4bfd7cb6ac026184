import sqlalchemy as sa


def test_second_server_from_a_factory(sqlite_migrated, releasesafe_server):
    assert sqlite_migrated.dialect == "sqlite"
    with sqlite_migrated.engine().connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM customers")).scalar() == 1
