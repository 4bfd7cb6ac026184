"""ALTER TYPE ... RENAME VALUE while the running code still writes the old label."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS504"
KINDS = frozenset({m.RENAME_OBJECT})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.RENAME_OBJECT):
        if op.object_type != "enum value":
            continue
        type_name, _, old_value = (op.object_name or "").rpartition(".")
        yield hit(op, enum=type_name, old_value=old_value, new_value=op.new_name)
