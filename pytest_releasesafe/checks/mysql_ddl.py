"""How MySQL and MariaDB run an ALTER TABLE on a given server version: INSTANT, INPLACE or COPY.

`target_version` encodes the server: 57 = MySQL 5.7, 80 = 8.0, 84 = 8.4, 1011 = MariaDB 10.11.
"80" does not say which 8.0 patch release runs: features from 8.0.29 (instant DROP COLUMN, instant
ADD COLUMN anywhere) are then uncertain, and findings that depend on them are warnings.
Facts from the MySQL 8.0/8.4 "Online DDL Operations" tables and MariaDB's "InnoDB Online DDL" pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pytest_releasesafe import model as m
from pytest_releasesafe.model import Operation

COPY = "COPY"
REBUILD = "INPLACE with a table rebuild"


@dataclass(frozen=True)
class Server:
    mariadb: bool
    major: int
    minor: int
    known: bool = True

    def at_least(self, major: int, minor: int) -> bool:
        return (self.major, self.minor) >= (major, minor)

    @property
    def label(self) -> str:
        if not self.known:
            return "MySQL (version not configured)"
        return f"{'MariaDB' if self.mariadb else 'MySQL'} {self.major}.{self.minor}"


def server(target_version: int) -> Server:
    if target_version >= 1000:
        return Server(True, target_version // 100, target_version % 100)
    if target_version >= 50:
        return Server(False, target_version // 10, target_version % 10)
    return Server(False, 8, 0, known=False)  # a Postgres-style default: assume a current 8.0


@dataclass(frozen=True)
class Verdict:
    algorithm: str  # COPY or REBUILD
    reason: str
    certain: bool = True  # False: depends on a patch release or detail we cannot see


def options(op: Operation) -> dict[str, str]:
    return {str(k).upper(): str(v).upper() for k, v in (op.get("mysql_options") or ())}


def alter_verdict(op: Operation, srv: Server) -> Verdict | None:
    """How the server runs `op` when it cannot be INSTANT (or INPLACE without a rebuild); None if it can.

    Foreign keys (COPY unless foreign_key_checks is off) are judged by the foreign-key rule.
    """
    if op.kind == m.ADD_COLUMN:
        if "STORED" in (op.sql or "").upper() and " AS " in (op.sql or "").upper():
            return Verdict(COPY, "adding a STORED generated column copies the table")
        positioned = op.get("position") is not None
        if srv.mariadb:
            if not srv.at_least(10, 3):
                return Verdict(REBUILD, "MariaDB before 10.3 rebuilds the table to add a column")
            if positioned and not srv.at_least(10, 4):
                return Verdict(REBUILD, "MariaDB 10.3 adds a column instantly only as the last column")
            return None
        if not srv.at_least(8, 0):
            return Verdict(REBUILD, "MySQL before 8.0.12 rebuilds the table to add a column")
        if positioned and not srv.at_least(8, 1):
            # 8.0 here: whether the patch release is 8.0.29 or later is not known.
            return Verdict(
                REBUILD, "MySQL before 8.0.29 adds a column instantly only as the last one", certain=False
            )
        return None
    if op.kind == m.DROP_COLUMN:
        if srv.mariadb:
            return (
                None
                if srv.at_least(10, 4)
                else Verdict(REBUILD, "MariaDB before 10.4 rebuilds the table to drop a column")
            )
        if srv.at_least(8, 1):
            return None
        return Verdict(
            REBUILD, "MySQL before 8.0.29 rebuilds the table to drop a column", certain=not srv.at_least(8, 0)
        )
    if op.kind == m.ADD_CONSTRAINT and op.constraint_type == "primary_key":
        return Verdict(REBUILD, "adding a primary key rebuilds the table")
    if op.kind in (m.SET_NOT_NULL, m.DROP_NOT_NULL):
        return Verdict(REBUILD, "changing a column's NULL / NOT NULL rebuilds the table")
    if op.kind == m.ALTER_TABLE_OTHER:
        action = str(op.get("action") or "").upper()
        if "DROPPRIMARYKEY" in action.replace(" ", "") or re.search(r"DROP PRIMARY", (op.sql or "").upper()):
            if "ADD PRIMARY" not in (op.sql or "").upper():
                return Verdict(COPY, "dropping the primary key without adding another copies the table")
        if "CONVERT TO" in action or "CONVERT TO CHARACTER SET" in (op.sql or "").upper():
            return Verdict(COPY, "converting the character set copies the table")
    return None
