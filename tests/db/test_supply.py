"""Fresh databases prepared ahead and dropped behind: every test still gets an unused clone."""

import pytest
from sqlalchemy import text

from pytest_releasesafe.db.supply import DatabaseSupply


def _exists(server, name):
    query = {
        "postgresql": "SELECT count(*) FROM pg_database WHERE datname = :name",
        "mysql": "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = :name",
    }[server.dialect]
    with server.admin_engine().connect() as connection:
        return connection.execute(text(query), {"name": name}).scalar_one() == 1


@pytest.mark.parametrize("server_fixture", ["own_postgres", "mysql_by_url"])
def test_each_take_is_an_unused_clone_and_everything_is_dropped(request, server_fixture):
    server = request.getfixturevalue(server_fixture)
    template = server.create_database(prefix="releasesafe_dbtest")
    with template.engine().begin() as connection:
        connection.execute(text("CREATE TABLE seen (n INTEGER)"))
    supply = DatabaseSupply()
    names = []
    try:
        for n in range(3):
            database = supply.take(server, template)
            names.append(database.name)
            with database.engine().begin() as connection:
                assert connection.execute(text("SELECT count(*) FROM seen")).scalar_one() == 0
                connection.execute(text("INSERT INTO seen VALUES (:n)"), {"n": n})
            supply.give_back(database)
        spare_names = supply.spare_names()
    finally:
        supply.close()
        template.drop()
    assert len(set(names)) == 3
    assert not any(_exists(server, name) for name in names + spare_names)


def test_engine_is_reused_unless_other_options_are_asked_for(own_postgres):
    database = own_postgres.create_database()
    try:
        first = database.engine()
        assert database.engine() is first
        autocommit = database.engine(isolation_level="AUTOCOMMIT")
        assert autocommit is not first
        assert database.engine(isolation_level="AUTOCOMMIT") is autocommit
        with autocommit.connect() as connection:
            connection.execute(text("VACUUM"))  # refused inside a transaction: proves autocommit
    finally:
        database.drop()
    with pytest.raises(RuntimeError, match="was dropped"):
        database.engine()


def test_template_names_that_would_need_escaping_are_refused(own_postgres):
    with pytest.raises(ValueError, match="unsupported template database name"):
        own_postgres.create_database(template='x"; DROP DATABASE postgres; --')
