"""Where SQL text sits and what earlier statements said: the parts of the SQL front end that need no
sqlglot, so the Alembic front end can hold them without importing the parser (~150 ms) for revisions
that contain no SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pytest_releasesafe.model import Location, Operation

if TYPE_CHECKING:
    from sqlglot.tokens import Token

SQLGLOT_DIALECTS = {"postgresql": "postgres", "mysql": "mysql", "sqlite": "sqlite"}


@dataclass
class SqlState:
    """What earlier statements of the same migration tell about later ones."""

    in_transaction: bool | None
    new_tables: set[str] = field(default_factory=set)
    explicit_transaction: bool = False  # inside a BEGIN we saw


@dataclass(frozen=True)
class Placement:
    """Where SQL text sits in its file: a .sql file maps 1:1; a Python string maps to the string's line."""

    path: str
    line: int = 1
    column: int = 1
    inside_python: bool = False
    at_call: bool = False  # SQL from a variable defined elsewhere: every statement is reported at the call
    line_offset: int = 0  # lines of the file before this piece of it (huge files are read in pieces)

    def locate(self, first: Token, last: Token) -> Location:
        if self.inside_python:
            # Findings in SQL embedded in Python point at the string's line in the .py file, shifted
            # by the statement's line within a multi-line string.
            line = self.line if self.at_call else self.line + first.line - 1
            return Location(self.path, line, self.column if first.line == 1 else 1, line, 0)
        offset = self.line_offset
        return Location(self.path, first.line + offset, _start_col(first), last.line + offset, last.col + 1)


def _start_col(token: Token) -> int:
    # sqlglot's `col` is the column of the token's last character (1-based).
    return max(1, token.col - len(token.text) + 1)


def _with(op: Operation, **changes: object) -> Operation:
    """A copy with some fields changed; `dataclasses.replace` re-runs __init__ and costs 4x more here."""
    new = object.__new__(Operation)
    new.__dict__.update(op.__dict__)
    new.__dict__.update(changes)
    return new
