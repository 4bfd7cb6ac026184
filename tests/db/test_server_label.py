"""Servers are shown as people name them: MariaDB is MariaDB, not "mysql"."""

from __future__ import annotations

from pytest_releasesafe.db import Server


def test_mariadb_server_is_labelled_mariadb(mysql_by_url: Server) -> None:
    assert mysql_by_url.dialect == "mysql"  # the SQL dialect stays mysql
    assert mysql_by_url.product == "MariaDB"
    assert mysql_by_url.label.startswith("MariaDB 1")
    assert "MariaDB" in repr(mysql_by_url)


def test_postgres_server_is_labelled_postgresql(postgres_by_url: Server) -> None:
    assert postgres_by_url.label.startswith("PostgreSQL ")
