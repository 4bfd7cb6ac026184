"""Renaming a type, view, sequence, function, schema, index or constraint the running code may name."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.objects import created_in_migration
from pytest_releasesafe.model import Migration

CODE = "RS503"

# What breaks in the running code when each kind of object is renamed.
_BREAKS = {
    "constraint": "error handling that matches the constraint name, and ON CONFLICT ON CONSTRAINT",
    "index": "queries and tools that name the index (index hints, monitoring, later migrations)",
    "type": "casts and column definitions that name the type",
    "sequence": "nextval()/currval() calls and column defaults written with the old name",
    "view": "every query on the view",
    "materialized view": "every query on the view and its REFRESH jobs",
    "schema": "every query that qualifies names with the schema, and search_path settings",
    "function": "every call of the function",
    "procedure": "every CALL of the procedure",
    "domain": "casts and column definitions that name the domain",
}


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    if next(ctx.ops(migration, m.RENAME_OBJECT), None) is None:
        return
    ops = list(ctx.ops(migration))
    for index, op in enumerate(ops):
        if op.kind != m.RENAME_OBJECT or op.object_type == "enum value" or op.table_is_new:
            continue
        object_type = op.object_type or "object"
        if created_in_migration(op, ops[:index], frozenset({object_type})):
            continue
        # An index name is rarely used by application code: worth knowing, not failing the build.
        severity = "info" if object_type == "index" else None
        breaks = _BREAKS.get(object_type, "code that names it")
        yield hit(op, severity=severity, object_type=object_type, name=op.object_name, breaks=breaks)
