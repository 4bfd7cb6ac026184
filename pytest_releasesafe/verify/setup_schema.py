"""What runs on every fresh verify database before the first revision: the starting schema.

Histories that begin from `metadata.create_all()` (the first revision alters tables it never
created), projects that need a schema or an extension first, and pytest-alembic users who did
that in their engine fixture all set `releasesafe_setup` to one of:

- a `.sql` file (path relative to the ini file), run as is;
- `package.module:metadata` (a MetaData or a declarative base): `create_all()`;
- `package.module:function`: called with the SQLAlchemy Connection.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pytest_releasesafe.verify.drift import load_object
from pytest_releasesafe.verify.migrator import VerifyError

Setup = Callable[[Connection], None]

# MySQL's drivers run one statement per call unless the connection asked for more at login.
_STATEMENT_END = re.compile(r";\s*$", re.MULTILINE)


def sql_setup(path: Path) -> Setup:
    try:
        script = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise VerifyError(f"{path}: cannot read the setup SQL (releasesafe_setup): {error}") from None

    def run(connection: Connection) -> None:
        if connection.dialect.name == "sqlite":
            connection.connection.driver_connection.executescript(script)  # type: ignore[union-attr]
            return
        statements = [part.strip() for part in _STATEMENT_END.split(script)]
        if connection.dialect.name == "postgresql":
            statements = [script]  # one round trip; psycopg runs several statements without parameters
        for statement in statements:
            if statement:
                connection.exec_driver_sql(statement)

    return run


def object_setup(value: Any, where: str) -> Setup:
    """A MetaData, a declarative base (anything with `.metadata`), or a callable taking a Connection."""
    metadata = value if isinstance(value, sa.MetaData) else getattr(value, "metadata", None)
    if isinstance(metadata, sa.MetaData):
        return lambda connection: metadata.create_all(connection)
    if callable(value):
        return value
    raise VerifyError(
        f"releasesafe_setup = {where}: expected a MetaData, a declarative base or a function taking a"
        f" connection, got {type(value).__name__}"
    )


def load_setup(setting: str, base: Path) -> Setup | None:
    """The setup named by the setting (see the module docstring); None when it is empty."""
    setting = setting.strip()
    if not setting:
        return None
    if setting.lower().endswith(".sql"):
        path = Path(setting).expanduser()
        return sql_setup(path if path.is_absolute() else base / path)
    if ":" not in setting:
        raise VerifyError(f"releasesafe_setup = {setting}: expected a .sql file or 'package.module:name'")
    value = load_object(setting, "releasesafe_setup", "package.module:name")
    return object_setup(value, setting)


def run_setup(setup: Setup, connection: Connection, setting: str) -> None:
    """Run it and commit; a failure is reported as the setup's, naming the setting."""
    try:
        setup(connection)
        connection.commit()
    except Exception as error:  # noqa: BLE001 - the user's setup failed: say so, no traceback
        connection.rollback()
        first = (str(error).strip().splitlines() or [""])[0]
        raise VerifyError(f"releasesafe_setup = {setting} failed: {type(error).__name__}: {first}") from None
