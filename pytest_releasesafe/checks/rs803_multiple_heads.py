"""More than one head in the Alembic history."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe.checks.base import CheckContext, Hit
from pytest_releasesafe.checks.history import histories
from pytest_releasesafe.model import Location

CODE = "RS803"


def check_project(revisions: list, ctx: CheckContext) -> Iterator[Hit]:
    for graph in histories(revisions):
        heads = graph.heads()
        if len(heads) < 2 or graph.uses_branch_labels():
            continue
        ids = sorted(h.revision for h in heads if h.revision)
        for head in heads:
            if head.path not in graph.linted:
                continue
            others = ", ".join(i for i in ids if i != head.revision)
            yield Hit(
                Location(head.path, head.line),
                {"revision": head.revision, "others": others, "heads": " ".join(ids), "count": len(ids)},
            )
