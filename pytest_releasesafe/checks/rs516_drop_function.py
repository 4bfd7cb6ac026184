"""DROP FUNCTION / DROP PROCEDURE the previous release may still call."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe.checks.base import CheckContext, Hit
from pytest_releasesafe.checks.objects import dropped_objects
from pytest_releasesafe.model import Migration, Operation
from pytest_releasesafe.schema.state import key

CODE = "RS516"
OBJECT_TYPES = frozenset({"function", "procedure"})


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for found in dropped_objects(migration, ctx, OBJECT_TYPES):
        if found.op is not None and _unused_trigger_function(found.op, ctx):
            continue
        yield found


def _unused_trigger_function(op: Operation, ctx: CheckContext) -> bool:
    """A RETURNS TRIGGER function is called by its triggers only, never by the application: once
    the catalogue knows none of them is left, dropping it breaks no running code."""
    schema = ctx.schema_before(op)
    if schema is None or op.cascade:
        return False
    function = schema.functions.get(key((op.object_name or "").split(".")[-1]))
    return (
        function is not None
        and function.returns_trigger is True
        and not schema.triggers_calling(function.name)
    )
