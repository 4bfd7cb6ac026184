"""Servers given by URL: the machine's running PostgreSQL and MariaDB."""

import pytest
from sqlalchemy import inspect, text

from pytest_releasesafe.db import DatabaseUnavailable, get_server


def test_unreachable_url_is_unavailable_and_named():
    with pytest.raises(DatabaseUnavailable) as caught:
        get_server("postgresql://postgres:hunter2@127.0.0.1:1/postgres")
    assert "cannot connect to postgresql+psycopg://postgres:***@127.0.0.1:1/postgres" in caught.value.reason
    assert "hunter2" not in caught.value.reason


@pytest.mark.parametrize("server_fixture", ["postgres_by_url", "mysql_by_url"])
def test_fresh_databases_and_template_clones(request, server_fixture):
    server = request.getfixturevalue(server_fixture)
    assert not server.started_here
    template = server.create_database(prefix="releasesafe_dbtest")
    with template.engine().begin() as connection:
        connection.execute(text("CREATE TABLE items (id INTEGER PRIMARY KEY, label VARCHAR(20))"))
        connection.execute(text("INSERT INTO items VALUES (1, 'kept')"))
    first = server.create_database(template=template.name)
    second = server.create_database(template=template)
    try:
        assert len({template.name, first.name, second.name}) == 3
        with first.engine().begin() as connection:
            assert connection.execute(text("SELECT label FROM items")).scalar_one() == "kept"
            connection.execute(text("DELETE FROM items"))
        with second.engine().connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM items")).scalar_one() == 1
        empty = server.create_database()
        assert inspect(empty.engine()).get_table_names() == []
        empty.drop()
        empty.drop()  # twice is harmless
    finally:
        for database in (first, second, template):
            database.drop()
    assert not _exists(server, first.name)


def test_stop_drops_databases_left_behind_but_keeps_the_server(postgres_by_url):
    from pytest_releasesafe.db.provision import connect_url

    server = connect_url(postgres_by_url.url)
    forgotten = server.create_database(prefix="releasesafe_dbtest")
    connection = forgotten.engine().connect()  # an open session does not block the drop
    connection.execute(text("SELECT 1"))
    server.stop()
    connection.invalidate()
    assert not _exists(postgres_by_url, forgotten.name)
    assert _exists(postgres_by_url, "postgres")


def test_sqlite_server_is_a_private_directory():
    server = get_server("sqlite")
    template = server.create_database()
    with template.engine().begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        connection.execute(text("INSERT INTO t VALUES (7)"))
    clone = server.create_database(template=template)
    with clone.engine().connect() as connection:
        assert connection.execute(text("SELECT x FROM t")).scalar_one() == 7
    directory = server.ops.directory
    assert directory.is_dir()
    server.stop()
    assert not directory.exists()


def _exists(server, name):
    query = {
        "postgresql": "SELECT count(*) FROM pg_database WHERE datname = :name",
        "mysql": "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = :name",
    }[server.dialect]
    with server.admin_engine().connect() as connection:
        return connection.execute(text(query), {"name": name}).scalar_one() == 1
