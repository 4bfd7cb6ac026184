"""A new enum value used in the transaction that added it."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.locking import transactions
from pytest_releasesafe.model import Migration, Operation

CODE = "RS506"


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    if next(ctx.ops(migration, m.ALTER_ENUM_ADD_VALUE), None) is None:
        return
    for transaction in transactions(ctx.ops(migration)):
        added: list[Operation] = []
        for op in transaction:
            if op.kind == m.ALTER_ENUM_ADD_VALUE:
                # Measured on Postgres 15: even for a type created in the same transaction, a value
                # added by ALTER TYPE cannot be used before COMMIT (values listed in CREATE TYPE can).
                if op.get("value"):
                    added.append(op)
            else:
                for enum_op in added:
                    if _mentions(op, str(enum_op.get("value"))):
                        yield hit(
                            op,
                            enum=enum_op.object_name,
                            value=enum_op.get("value"),
                            added_line=enum_op.location.line,
                        )
                        break


def _mentions(op: Operation, value: str) -> bool:
    """Whether the statement uses the label as a string literal (SQL text or a default)."""
    literal = "'" + value.replace("'", "''") + "'"
    return literal in (op.sql or "") or literal == (op.default_sql or "")
