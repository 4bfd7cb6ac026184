"""A down_revision that names no known revision."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe.checks.base import CheckContext, Hit
from pytest_releasesafe.checks.history import history
from pytest_releasesafe.model import Location

CODE = "RS805"


def check_project(revisions: list, ctx: CheckContext) -> Iterator[Hit]:
    graph = history(revisions)
    ids = graph.by_id()
    for info in graph.revisions:
        if info.path not in graph.linted:
            continue
        for down in info.down_revision:
            if down not in ids:
                yield Hit(Location(info.path, info.line), {"revision": info.revision, "down_revision": down})
