"""The probes on many column types: silent on the old code's own schema, loud on a broken one."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from pytest_releasesafe.verify.compat.errors import CompatError
from pytest_releasesafe.verify.compat.probes import run_probes
from pytest_releasesafe.verify.compat.schema import OldTable, old_tables_from_dump, reflect
from pytest_releasesafe.verify.compat.static import compare
from pytest_releasesafe.verify.compat.tree_process import TreeProcess

PACKAGE = "compat_probe_bank"
MODELS = """
from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Status(enum.Enum):
    active = "active"
    blocked = "blocked"


class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    ref: Mapped[uuid.UUID] = mapped_column(sa.Uuid, default=uuid.uuid4, unique=True)
    status: Mapped[Status] = mapped_column(sa.Enum(Status, name="account_status"))
    active: Mapped[bool] = mapped_column(sa.Boolean, server_default=sa.true())
    created: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
    born: Mapped[dt.date | None] = mapped_column(sa.Date)
    wakes: Mapped[dt.time | None] = mapped_column(sa.Time)
    balance: Mapped[decimal.Decimal] = mapped_column(sa.Numeric(12, 3), default=0)
    ratio: Mapped[float | None] = mapped_column(sa.Float)
    prefs: Mapped[dict | None] = mapped_column(sa.JSON)
    avatar: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    bio: Mapped[str | None] = mapped_column(sa.Text)
    small: Mapped[int | None] = mapped_column(sa.SmallInteger)


class Membership(Base):
    __tablename__ = "memberships"
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"), primary_key=True)
    team: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    sponsor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("accounts.id"))


audit = sa.Table("audit", Base.metadata, sa.Column("message", sa.String(50)), sa.Column("at", sa.DateTime))
"""


@pytest.fixture
def old_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[tuple[OldTable, ...], sa.MetaData]]:
    """The old models dumped by the worker (as compat does), and their MetaData to build the old schema."""
    package = tmp_path / PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text(textwrap.dedent(MODELS))
    with TreeProcess(tmp_path, "old models") as worker:
        dump = worker.request(
            "dumping", "dump_models", models=f"{PACKAGE}.models:Base.metadata", dialect="mysql"
        )
    monkeypatch.syspath_prepend(str(tmp_path))
    models = importlib.import_module(f"{PACKAGE}.models")
    try:
        yield old_tables_from_dump(dump), models.Base.metadata
    finally:
        sys.modules.pop(f"{PACKAGE}.models", None)
        sys.modules.pop(PACKAGE, None)


def check(engine: sa.Engine, old_tables: tuple[OldTable, ...]) -> set[tuple[str, str, str | None, str]]:
    with engine.connect() as connection:
        new_tables = reflect(connection, old_tables)
        connection.rollback()
        found = compare(old_tables, new_tables) + run_probes(connection, old_tables, new_tables)
    return {item.key for item in found}


def test_dump_knows_models_attributes_and_keys(old_code: tuple[tuple[OldTable, ...], sa.MetaData]) -> None:
    tables = {table.name: table for table in old_code[0]}
    assert list(tables) == ["accounts", "audit", "memberships"]
    status = tables["accounts"].column("status")
    assert status is not None and status.attribute == "Account.status"
    assert status.type["category"] == "enum" and status.type["enums"] == ["active", "blocked"]
    sponsor = tables["memberships"].column("sponsor_id")
    assert sponsor is not None and sponsor.foreign_keys == (("accounts", "id"),)
    assert [column.name for column in tables["memberships"].primary_key] == ["account_id", "team"]
    assert tables["audit"].column("message").attribute is None  # type: ignore[union-attr]


def test_probes_pass_on_the_old_schema_then_catch_each_break(
    old_code: tuple[tuple[OldTable, ...], sa.MetaData], database_url: str
) -> None:
    from pytest_releasesafe.db import get_server

    old_tables, metadata = old_code
    server = get_server(database_url)
    database = server.create_database(prefix="releasesafe_compat")
    try:
        engine = database.engine()
        metadata.create_all(engine)
        assert check(engine, old_tables) == set(), "a probe fails on the schema the old code was written for"

        with engine.begin() as connection:
            connection.execute(sa.text("ALTER TABLE accounts DROP COLUMN bio"))
            modify = (
                "ALTER COLUMN born SET NOT NULL"
                if engine.dialect.name == "postgresql"
                else "MODIFY born DATE NOT NULL"
            )
            connection.execute(sa.text(f"ALTER TABLE accounts {modify}"))
            connection.execute(sa.text("DROP TABLE audit"))
        found = check(engine, old_tables)
    finally:
        server.stop()

    assert ("missing-column", "accounts", "bio", "schema") in found
    assert ("probe-failed", "accounts", "bio", "INSERT") in found
    assert ("probe-failed", "accounts", "bio", "SELECT") in found
    assert ("now-not-null", "accounts", "born", "schema") in found
    assert ("probe-failed", "accounts", "born", "UPDATE") in found  # the old code clears it
    assert ("missing-table", "audit", None, "schema") in found
    assert not any(key[1] == "memberships" for key in found), "an unchanged table must stay silent"


def test_a_declarative_base_is_accepted_as_models(
    old_code: tuple[tuple[OldTable, ...], sa.MetaData], tmp_path: Path
) -> None:
    with TreeProcess(tmp_path, "old models") as worker:
        dump = worker.request("dumping", "dump_models", models=f"{PACKAGE}.models:Base", dialect="mysql")
    assert old_tables_from_dump(dump) == old_code[0]


def test_models_that_are_not_metadata_are_refused(
    old_code: tuple[tuple[OldTable, ...], sa.MetaData], tmp_path: Path
) -> None:
    with TreeProcess(tmp_path, "old models") as worker, pytest.raises(CompatError) as raised:
        worker.request(
            "importing the models", "dump_models", models=f"{PACKAGE}.models:Status", dialect="mysql"
        )
    assert "is EnumType, not a MetaData or a declarative Base" in str(raised.value)
