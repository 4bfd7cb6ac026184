"""ADD CHECK (or ADD COLUMN ... CHECK) on an existing MySQL/MariaDB table: a table copy."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.mysql_ddl import server
from pytest_releasesafe.model import Migration, Operation

CODE = "RS949"


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    srv = server(ctx.target_version)
    if srv.mariadb and not srv.at_least(10, 2):
        return  # MariaDB before 10.2 ignores CHECK constraints
    if not srv.mariadb and not srv.at_least(8, 0):
        return  # MySQL before 8.0.16 parses CHECK and ignores it
    # 8.0 does not say which patch release: enforcement (8.0.16) is then uncertain.
    severity = "warning" if not srv.mariadb and not srv.at_least(8, 1) else None
    for op in ctx.ops(migration, m.ADD_CONSTRAINT, m.ADD_COLUMN):
        if op.table_is_new or "NOT ENFORCED" in " ".join((op.sql or "").upper().split()):
            continue
        if op.kind == m.ADD_CONSTRAINT and op.constraint_type == "check":
            label = f"CHECK constraint {op.constraint}" if op.constraint else "an unnamed CHECK constraint"
        elif op.kind == m.ADD_COLUMN and op.get("check"):
            label = f"column {op.column} with an inline CHECK constraint"
        else:
            continue
        yield hit(
            op,
            severity=severity,
            constraint_label=label,
            constraint=op.constraint or "",
            server=srv.label,
            alter=_alter_clause(op),
        )


_ADD = re.compile(r"\bADD\b.*", re.IGNORECASE | re.DOTALL)


def _alter_clause(op: Operation) -> str:
    """The ADD ... clause as the user wrote it, for the online schema-change tool's --alter."""
    sql = " ".join((op.sql or "").split()).rstrip(";")
    match = _ADD.search(sql)
    if match:
        return match.group().replace('"', '\\"')
    condition = op.get("condition")
    name = op.constraint or f"{op.table}_chk"
    return f"ADD CONSTRAINT {name} CHECK ({condition})" if condition else f"ADD CONSTRAINT {name} CHECK"
