"""Under pytest-xdist (`-n 2`), each worker climbs one contiguous stretch of the history.

xdist's default scheduling deals items out in small chunks, alternately: every worker would then
climb the whole history, and a revision's stairway and data checks (which share one pass) would
often land on different workers. Here the per-revision items are split into one contiguous block
per worker, handed out at the start; a worker reaches the start of its block with one upgrade
(no checks on the way) and checks its revisions from there. The other items (history, the
whole-history upgrade, drift, which reuses the upgrade's database) go to the first worker, which
has no climb to make; the blocks are sized so that climbs and that upgrade even out.
"""

from __future__ import annotations

import re
from typing import Any

from xdist.scheduler import LoadScheduling

_PER_REVISION = re.compile(r"^releasesafe::(stairway|data)\[")


# What a revision costs a worker that only upgrades through it (to reach its block, or in the
# whole-history upgrade item), relative to checking it (stairway and data round-trip): measured
# on benchmarks/verify_real_history.py (from where the two workers finished with blocks of
# equal and of unequal size, with the weights below).
CLIMB = 0.35


def _weight(index: int, total: int) -> float:
    """The relative cost of revision `index`: the schema grows along a history, and with it the
    snapshots and rows of every check (on the benchmark history the last revisions cost about
    twice the first)."""
    return 1.0 + index / max(total, 1)


def blocks(indices: list[int], count: int, first_extra: float = 0.0) -> list[list[int]]:
    """`indices` (in history order) in `count` contiguous blocks of even estimated work: the
    worker of block i first climbs through the revisions before it (CLIMB of their weight), and
    the first worker also runs `first_extra` (in the same units) of other items."""
    total = len(indices)
    weights = [_weight(index, total) for index in range(total)]
    before = [0.0]
    for weight in weights:
        before.append(before[-1] + weight)

    def sizes(budget: float) -> list[int] | None:
        found, start = [], 0
        for block in range(count):
            room = budget - (first_extra if block == 0 else CLIMB * before[start])
            end = start
            while end < total and before[end + 1] - before[start] <= room + 1e-9:
                end += 1
            found.append(end - start)
            start = end
        return found if start == total else None

    low, high = 0.0, before[-1] * (1 + CLIMB) + first_extra
    while high - low > 0.01:
        middle = (low + high) / 2
        if sizes(middle) is None:
            low = middle
        else:
            high = middle
    result, start = [], 0
    for size in sizes(high) or [total]:
        result.append(indices[start : start + size])
        start += size
    return result + [[] for _ in range(count - len(result))]


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
        upgrades = any(collection[index] == "releasesafe::upgrade" for index in self.pending)
        whole_history = sum(_weight(index, len(revisions)) for index in revisions)
        split = blocks(revisions, len(self.nodes), CLIMB * whole_history if upgrades else 0.0)
        for node, block in zip(self.nodes, split, strict=True):
            items = [index for revision in block for index in groups[revision]]
            if items:
                self.node2pending[node].extend(items)
                node.send_runtest_some(items)
        if self.pending:
            # The other items to the first worker: its block needs no climb, and drift reuses
            # the database the upgrade item migrated.
            self._send_tests(self.nodes[0], len(self.pending))
        for node in self.nodes:
            node.shutdown()
