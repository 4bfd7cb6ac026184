"""Two revision files with the same revision id."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe.checks.base import CheckContext, Hit
from pytest_releasesafe.checks.history import histories
from pytest_releasesafe.model import Location

CODE = "RS804"


def check_project(revisions: list, ctx: CheckContext) -> Iterator[Hit]:
    for graph in histories(revisions):
        for revision, infos in graph.by_id().items():
            if len(infos) < 2:
                continue
            for info in infos:
                if info.path not in graph.linted:
                    continue
                others = ", ".join(sorted(i.path for i in infos if i is not info))
                yield Hit(Location(info.path, info.line), {"revision": revision, "others": others})
