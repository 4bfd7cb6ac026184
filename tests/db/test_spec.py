import pytest

from pytest_releasesafe.db import BadDatabaseSetting, get_server, parse_spec


@pytest.mark.parametrize(
    ("text", "dialect", "version"),
    [
        ("postgresql", "postgresql", None),
        ("postgres:16", "postgresql", (16,)),
        ("mariadb", "mysql", None),
        ("mysql:10.11", "mysql", (10, 11)),
        ("sqlite", "sqlite", None),
    ],
)
def test_names_and_version_pins(text, dialect, version):
    spec = parse_spec(text)
    assert (spec.dialect, spec.version, spec.url) == (dialect, version, None)


def test_url_without_driver_gets_the_installed_driver():
    assert parse_spec("postgresql://u@h/db").url == "postgresql+psycopg://u@h/db"
    assert parse_spec("mysql://root@h:3306/x").url == "mysql+pymysql://root@h:3306/x"
    assert parse_spec("mariadb://root@h/x").dialect == "mysql"
    assert parse_spec("postgresql+psycopg://u:pw@h/db").url == "postgresql+psycopg://u:pw@h/db"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oracle", "unknown database 'oracle'"),
        ("postgresql:x16", "bad version in database setting 'postgresql:x16'"),
        ("mssql+pyodbc://u@h/db", "unsupported database URL 'mssql+pyodbc://u@h/db'"),
        ("postgresql://u:secret@h:notaport/db", "bad database URL 'postgresql://u:***@h:notaport/db'"),
        ("sqlite://", "names no file"),
        ("  ", "empty"),
    ],
)
def test_bad_settings_name_themselves(text, expected):
    with pytest.raises(BadDatabaseSetting) as caught:
        parse_spec(text)
    assert expected in str(caught.value)
    assert "secret" not in str(caught.value)


def test_url_with_a_missing_driver_is_a_bad_setting():
    with pytest.raises(
        BadDatabaseSetting, match=r"'postgresql\+pg8000://u@127.0.0.1/db' needs the module 'pg8000'"
    ):
        get_server("postgresql+pg8000://u@127.0.0.1/db")
