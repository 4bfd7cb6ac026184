"""Which type changes can break values the old code writes (static half of the check)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql

from pytest_releasesafe.verify.compat.column_types import describe_type, narrowing
from pytest_releasesafe.verify.compat.values import probe_value


def change(old: sa.types.TypeEngine, new: sa.types.TypeEngine) -> str | None:
    return narrowing(describe_type(old), describe_type(new))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (sa.String(100), sa.String(20)),
        (sa.Text(), sa.String(255)),
        (sa.BigInteger(), sa.Integer()),
        (sa.Integer(), mysql.TINYINT()),
        (sa.Numeric(12, 3), sa.Numeric(6, 2)),
        (sa.Numeric(12, 3), sa.Numeric(12, 1)),
        (sa.Enum("a", "b", name="kind"), postgresql.ENUM("a", name="kind")),
        (sa.Integer(), sa.Boolean()),
        (sa.String(40), sa.Integer()),
        (sa.DateTime(), sa.Date()),
    ],
)
def test_breaking_changes(old: sa.types.TypeEngine, new: sa.types.TypeEngine) -> None:
    assert change(old, new) is not None


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (sa.String(20), sa.String(100)),
        (sa.String(20), sa.Text()),
        (sa.Integer(), sa.BigInteger()),
        (sa.Numeric(6, 2), sa.Numeric(12, 3)),
        (sa.Integer(), sa.Numeric(12, 2)),
        (sa.Boolean(), mysql.TINYINT(display_width=1)),  # MySQL stores booleans as TINYINT(1)
        (sa.JSON(), mysql.LONGTEXT()),  # MariaDB's JSON is LONGTEXT
        (sa.Uuid(), sa.CHAR(32)),  # a UUID without a native type
        (sa.Enum("a", name="kind"), postgresql.ENUM("a", "b", name="kind")),
        (sa.DateTime(), sa.DateTime(timezone=True)),
    ],
)
def test_safe_changes(old: sa.types.TypeEngine, new: sa.types.TypeEngine) -> None:
    assert change(old, new) is None


def test_type_decorators_are_judged_by_what_they_store() -> None:
    class Email(sa.types.TypeDecorator[str]):
        impl = sa.String(200)
        cache_ok = True

    assert describe_type(Email()) == describe_type(sa.String(200)) | {"sql": "VARCHAR(200)"}


@pytest.mark.parametrize(
    ("type_", "fits"),
    [
        (sa.String(100), lambda value: len(value) == 100),
        (sa.Numeric(5, 2), lambda value: str(value) == "999.99"),
        (sa.BigInteger(), lambda value: value > 2**31),
        (sa.SmallInteger(), lambda value: 2**8 < value < 2**15),
    ],
)
def test_probe_values_are_the_largest_the_old_type_allows(type_: sa.types.TypeEngine, fits: object) -> None:
    assert fits(probe_value(describe_type(type_), "postgresql"))  # type: ignore[operator]
