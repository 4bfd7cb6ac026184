"""Drops and renames of database objects other than tables and columns (schemas, types, views…)."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration, Operation


def _same_object(op: Operation, other: Operation, types: frozenset[str]) -> bool | None:
    """True: same object; None: same kind of object, name unknown; False: another object."""
    if other.object_type not in types:
        return False
    if not op.object_name or not other.object_name:
        return None
    return op.object_name.lower() == other.object_name.lower()


def created_in_migration(op: Operation, earlier: list[Operation], types: frozenset[str]) -> bool:
    """A new object (created earlier in this migration) is used by no running code."""
    return any(o.kind == m.CREATE_OBJECT and _same_object(op, o, types) is True for o in earlier)


def dropped_objects(migration: Migration, ctx: CheckContext, types: frozenset[str]) -> Iterator[Hit]:
    if next(ctx.ops(migration, m.DROP_OBJECT), None) is None:
        return
    ops = list(ctx.ops(migration))
    for index, op in enumerate(ops):
        if op.kind != m.DROP_OBJECT or op.object_type not in types:
            continue
        if created_in_migration(op, ops[:index], types):
            continue
        recreated = [
            o
            for o in ops[index + 1 :]
            if o.kind == m.CREATE_OBJECT and _same_object(op, o, types) is not False
        ]
        severity = None
        if recreated:
            atomic = op.in_transaction is True and recreated[0].in_transaction is True
            if atomic and _same_object(op, recreated[0], types):
                continue  # DROP + CREATE in one transaction: other sessions never see it missing
            severity = "warning"  # re-created, but with a gap or under a name we cannot read
        if op.cascade:
            cascade = "CASCADE also drops every object that depends on it, with its data."
        else:
            cascade = "A rollback of the code cannot bring it back."
        yield hit(op, severity=severity, name=op.object_name, cascade_note=cascade)
