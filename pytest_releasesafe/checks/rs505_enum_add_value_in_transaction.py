"""ALTER TYPE ... ADD VALUE inside a transaction block on Postgres before 12."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.locking import transactions
from pytest_releasesafe.model import Migration

CODE = "RS505"


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    if next(ctx.ops(migration, m.ALTER_ENUM_ADD_VALUE), None) is None:
        return
    for transaction in transactions(ctx.ops(migration)):
        created: set[str] = set()
        for op in transaction:
            name = (op.object_name or "").lower()
            if op.kind == m.CREATE_OBJECT and op.object_type == "type":
                created.add(name)
            elif op.kind == m.ALTER_ENUM_ADD_VALUE and op.in_transaction is not False and name not in created:
                # Allowed before 12 only when the type was created in the same transaction.
                yield hit(
                    op,
                    severity="warning" if op.in_transaction is None else None,
                    enum=op.object_name,
                    value=op.get("value"),
                )
