"""DROP SCHEMA: every table, view and function in it goes too."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe.checks.base import CheckContext, Hit
from pytest_releasesafe.checks.objects import dropped_objects
from pytest_releasesafe.model import Migration

CODE = "RS513"
OBJECT_TYPES = frozenset({"schema"})


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    yield from dropped_objects(migration, ctx, OBJECT_TYPES)
