"""Under pytest-xdist (`-n 2`), each worker climbs one contiguous stretch of the history.

xdist's default scheduling deals items out in small chunks, alternately: every worker would then
climb the whole history, and a revision's stairway and data checks (which share one pass) would
often land on different workers. Here the per-revision items are split into one contiguous block
per worker, handed out at the start; a worker reaches the start of its block with one upgrade
(no checks on the way) and checks its revisions from there. All other items are scheduled as
xdist always does.
"""

from __future__ import annotations

import re
from typing import Any

from xdist.scheduler import LoadScheduling

_PER_REVISION = re.compile(r"^releasesafe::(stairway|data)\[")


def blocks(indices: list[int], count: int) -> list[list[int]]:
    """`indices` in `count` contiguous blocks of (nearly) equal size."""
    size, extra = divmod(len(indices), count)
    result, start = [], 0
    for block in range(count):
        end = start + size + (1 if block < extra else 0)
        result.append(indices[start:end])
        start = end
    return result


class ClimbingScheduling(LoadScheduling):
    # Set by xdist's LoadScheduling (untyped): declared so the assignments below have a type.
    collection: list[str] | None
    maxschedchunk: int | None

    def schedule(self) -> None:
        assert self.collection_is_completed
        if self.collection is not None or len(self.nodes) < 2 or not self._check_nodes_have_same_collection():
            super().schedule()
            return
        collection: Any = next(iter(self.node2collection.values()))
        # The items of each revision (its stairway and data checks) stay together.
        by_revision: dict[str, list[int]] = {}
        for index, node_id in enumerate(collection):
            match = _PER_REVISION.match(node_id)
            if match:
                by_revision.setdefault(node_id[match.end() :], []).append(index)
        if not by_revision:
            super().schedule()
            return
        self.collection = collection
        chosen = {index for indices in by_revision.values() for index in indices}
        self.pending[:] = [index for index in range(len(collection)) if index not in chosen]
        if self.maxschedchunk is None:
            self.maxschedchunk = len(collection)
        revisions = list(range(len(by_revision)))
        groups = list(by_revision.values())
        for node, block in zip(self.nodes, blocks(revisions, len(self.nodes)), strict=True):
            items = [index for revision in block for index in groups[revision]]
            if items:
                self.node2pending[node].extend(items)
                node.send_runtest_some(items)
        if self.pending:
            # The other items: as xdist's load scheduling would, a couple per worker to start.
            for node in self.nodes:
                self._send_tests(node, 2)
        if not self.pending:
            for node in self.nodes:
                node.shutdown()
