"""A .sql migration file -> `Migration`: its operations and the facts rules read about the file."""

from __future__ import annotations

from pytest_releasesafe.frontends.sql import Placement, SqlState, parse_sql
from pytest_releasesafe.frontends.sql_sections import file_sections
from pytest_releasesafe.model import Migration


def parse_sql_file(path: str, text: str, dialect: str, *, in_transaction: bool | None) -> Migration:
    """`in_transaction`: whether the tool running the file wraps it in a transaction."""
    migration = Migration(path=path, kind="sql", dialect=dialect)
    state = SqlState(in_transaction=in_transaction)
    migration.operations, migration.problems = parse_sql(text, Placement(path), dialect, state)
    # Decided by the front end, which saw every BEGIN/COMMIT: the file leaves a transaction open.
    migration.facts["unclosed_transaction"] = state.explicit_transaction
    # Up/down markers of goose, sql-migrate, dbmate (the reversibility rules judge the down step).
    migration.facts["sections"] = tuple((s.line, s.phase) for s in file_sections(path, text))
    return migration
