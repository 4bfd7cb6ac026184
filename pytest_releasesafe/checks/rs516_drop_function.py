"""DROP FUNCTION / DROP PROCEDURE the previous release may still call."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe.checks.base import CheckContext, Hit
from pytest_releasesafe.checks.objects import dropped_objects
from pytest_releasesafe.model import Migration

CODE = "RS516"
OBJECT_TYPES = frozenset({"function", "procedure"})


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    yield from dropped_objects(migration, ctx, OBJECT_TYPES)
