"""pytest-alembic's `alembic_config` fixture, read as it is, so its projects run unchanged.

The fixture returns a dict (or pytest-alembic's Config) with, among others:
`before_revision_data` / `at_revision_data` ({revision: row or [rows]}, each row naming its table
in `__tablename__`), `minimum_downgrade_revision` (our floor) and `skip_revisions`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pytest_releasesafe.verify.migrator import VerifyError

Rows = tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class RevisionData:
    before: Mapping[str, Rows] = field(default_factory=dict)  # inserted before upgrade() of a revision
    at: Mapping[str, Rows] = field(default_factory=dict)  # inserted right after it
    floor: str = ""
    skip: frozenset[str] = frozenset()

    @property
    def has_rows(self) -> bool:
        return bool(self.before or self.at)


def _field(raw: Any, name: str) -> Any:
    if isinstance(raw, Mapping):
        return raw.get(name)
    return getattr(raw, name, None)


def _rows(raw: Any, name: str) -> dict[str, Rows]:
    spec = _field(raw, name)
    spec = getattr(spec, "data", spec)  # pytest-alembic's RevisionSpec wraps the dict
    if not spec:
        return {}
    if not isinstance(spec, Mapping):
        raise VerifyError(
            f"alembic_config fixture: {name} must map revisions to rows, got {type(spec).__name__}"
        )
    result: dict[str, Rows] = {}
    for revision, rows in spec.items():
        listed = [rows] if isinstance(rows, Mapping) else list(rows)
        for row in listed:
            if not isinstance(row, Mapping) or "__tablename__" not in row:
                raise VerifyError(
                    f"alembic_config fixture: {name}[{revision!r}]: each row is a dict naming its table"
                    " in '__tablename__'"
                )
        result[str(revision)] = tuple(dict(row) for row in listed)
    return result


def read_config(raw: Any) -> RevisionData:
    """RevisionData from the fixture's value (a dict, pytest-alembic's Config, or None)."""
    if raw is None:
        return RevisionData()
    skip = _field(raw, "skip_revisions") or ()
    if isinstance(skip, str):
        skip = (skip,)
    return RevisionData(
        before=_rows(raw, "before_revision_data"),
        at=_rows(raw, "at_revision_data"),
        floor=str(_field(raw, "minimum_downgrade_revision") or ""),
        skip=frozenset(str(revision) for revision in skip),
    )


def insert_rows(connection: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows naming their table (`schema.table` allowed) into the tables as they are now."""
    metadata = sa.MetaData()
    for row in rows:
        name = str(row["__tablename__"])
        schema, _, table_name = name.rpartition(".")
        table = metadata.tables.get(name)
        if table is None:
            table = sa.Table(table_name, metadata, schema=schema or None, autoload_with=connection)
        connection.execute(table.insert(), [{k: v for k, v in row.items() if k != "__tablename__"}])
