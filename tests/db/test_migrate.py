"""Alembic configuration handling: where migrations are found, and what running them leaves behind."""

import logging

import pytest
from sqlalchemy import inspect, text

from pytest_releasesafe.db import get_server
from pytest_releasesafe.db.migrate import (
    AlembicSource,
    MigrationSetupError,
    resolve_script_location,
    upgrade_to_head,
)

from .conftest import EXAMPLE


@pytest.mark.parametrize("given", ["", "alembic.ini", "migrations"])
def test_schema_from_accepts_a_project_an_ini_or_a_migrations_directory(given):
    assert resolve_script_location(EXAMPLE / given) == EXAMPLE / "migrations"


def test_schema_from_errors_name_the_path(tmp_path):
    with pytest.raises(MigrationSetupError, match=f"{tmp_path}: no env.py or alembic.ini here"):
        resolve_script_location(tmp_path)
    ini = tmp_path / "alembic.ini"
    ini.write_text("[alembic]\nsqlalchemy.url = sqlite://\n")
    with pytest.raises(MigrationSetupError, match=f"{ini}: no script_location"):
        resolve_script_location(ini)
    ini.write_text("[alembic]\nscript_location = elsewhere\n")
    with pytest.raises(MigrationSetupError, match=f"{ini}: script_location 'elsewhere' has no env.py"):
        resolve_script_location(tmp_path)


def test_upgrade_from_another_directory_keeps_pytest_logging(tmp_path, monkeypatch, caplog):
    monkeypatch.chdir(tmp_path)  # relative paths in alembic.ini are the ini's, not the cwd's
    server = get_server("sqlite")
    database = server.create_database()
    handlers = list(logging.getLogger().handlers)
    try:
        upgrade_to_head(database, AlembicSource(ini=EXAMPLE / "alembic.ini"))
        assert logging.getLogger().handlers == handlers  # env.py's fileConfig was undone
        logging.getLogger("after").warning("still captured")
        assert "still captured" in caplog.text
        assert set(inspect(database.engine()).get_table_names()) == {"alembic_version", "customers", "orders"}
        with database.engine().connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"
    finally:
        server.stop()


def test_missing_ini_names_it(tmp_path):
    server = get_server("sqlite")
    try:
        with pytest.raises(
            MigrationSetupError, match=f"{tmp_path / 'alembic.ini'}: Alembic config not found"
        ):
            upgrade_to_head(server.create_database(), AlembicSource(ini=tmp_path / "alembic.ini"))
    finally:
        server.stop()
