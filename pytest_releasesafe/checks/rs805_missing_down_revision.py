"""A down_revision that names no known revision."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe.checks.base import CheckContext, Hit
from pytest_releasesafe.checks.history import histories
from pytest_releasesafe.model import Location

CODE = "RS805"


def check_project(revisions: list, ctx: CheckContext) -> Iterator[Hit]:
    graphs = histories(revisions)
    # A parent found in any linted project is not missing (Alembic's version_locations may hold a
    # project's revisions in folders that do not share an env.py).
    ids = {revision for graph in graphs for revision in graph.by_id()}
    for graph in graphs:
        for info in graph.revisions:
            if info.path not in graph.linted:
                continue
            for down in info.down_revision:
                if down not in ids:
                    yield Hit(
                        Location(info.path, info.line), {"revision": info.revision, "down_revision": down}
                    )
