"""DROP EXTENSION: its types, functions and operators vanish."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe.checks.base import CheckContext, Hit
from pytest_releasesafe.checks.objects import dropped_objects
from pytest_releasesafe.model import Migration

CODE = "RS519"
OBJECT_TYPES = frozenset({"extension"})


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    yield from dropped_objects(migration, ctx, OBJECT_TYPES)
