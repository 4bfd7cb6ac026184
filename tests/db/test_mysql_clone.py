"""MySQL/MariaDB has no CREATE DATABASE ... TEMPLATE: clones copy schema and rows."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

SCHEMA = [
    "CREATE TABLE authors (id INTEGER PRIMARY KEY AUTO_INCREMENT, name VARCHAR(50) NOT NULL)",
    # Created before the table it references: the copy must not depend on order.
    "CREATE TABLE books (id INTEGER PRIMARY KEY AUTO_INCREMENT, author_id INTEGER NOT NULL,"
    " title VARCHAR(50), title_length INTEGER AS (CHAR_LENGTH(title)) VIRTUAL,"
    " CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id))",
    "CREATE TABLE audit (book_id INTEGER, note VARCHAR(20))",
    "CREATE TRIGGER books_audit AFTER INSERT ON books FOR EACH ROW"
    " INSERT INTO audit VALUES (NEW.id, 'added: 10:00')",
    "CREATE VIEW long_titles AS SELECT title FROM books WHERE title_length > 3",
    "CREATE VIEW long_title_count AS SELECT count(*) AS n FROM long_titles",
    "INSERT INTO authors (name) VALUES ('Ursula')",
    "INSERT INTO books (author_id, title) VALUES (1, 'Earthsea')",
]


@pytest.fixture
def mysql_template(mysql_by_url):
    template = mysql_by_url.create_database(prefix="releasesafe_dbtest")
    with template.engine().begin() as connection:
        for statement in SCHEMA:
            connection.exec_driver_sql(statement)
    yield template
    template.drop()


def test_clone_copies_tables_rows_views_and_triggers(mysql_by_url, mysql_template):
    clone = mysql_by_url.create_database(template=mysql_template)
    try:
        with clone.engine().begin() as connection:
            assert connection.execute(text("SELECT title, title_length FROM books")).one() == ("Earthsea", 8)
            assert connection.execute(text("SELECT n FROM long_title_count")).scalar_one() == 1
            # Rows copied, auto-increment counters kept, trigger fires in the clone.
            connection.execute(text("INSERT INTO books (author_id, title) VALUES (1, 'Tehanu')"))
            assert connection.execute(text("SELECT max(id) FROM books")).scalar_one() == 2
            assert connection.execute(text("SELECT count(*) FROM audit")).scalar_one() == 2
            view_sql = connection.execute(text("SHOW CREATE VIEW long_titles")).one()[1]
            assert mysql_template.name not in view_sql
        with pytest.raises(IntegrityError), clone.engine().begin() as connection:
            connection.execute(text("INSERT INTO books (author_id, title) VALUES (99, 'orphan')"))
        with mysql_template.engine().connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM books")).scalar_one() == 1
    finally:
        clone.drop()


def test_drop_ends_open_sessions(mysql_by_url):
    database = mysql_by_url.create_database(prefix="releasesafe_dbtest")
    from sqlalchemy import create_engine

    other = create_engine(database.url)
    connection = other.connect()
    connection.execute(text("CREATE TABLE t (x INTEGER)"))
    connection.execute(text("SELECT * FROM t FOR UPDATE"))
    database.drop()
    with mysql_by_url.admin_engine().connect() as admin:
        count = admin.execute(
            text("SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = :n"),
            {"n": database.name},
        ).scalar_one()
    assert count == 0
    connection.invalidate()
    other.dispose()
