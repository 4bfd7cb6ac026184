"""Under pytest-xdist (`-n 2`), each worker climbs one contiguous stretch of the history.

xdist's default scheduling deals items out in small chunks, alternately: every worker would then
climb the whole history, and a revision's stairway and data checks (which share one pass) would
often land on different workers. Here the per-revision items are split into one contiguous block
per worker, handed out at the start; a worker reaches the start of its block with one upgrade
(no checks on the way) and checks its revisions from there. The other items (history, the
whole-history upgrade, drift, which reuses the upgrade's database) go to the first worker ahead of
its block, which has no climb to make: its block's database is made while the upgrade runs, and
the upgrade's is dropped while the block runs (see verify.reserve). The blocks are sized so that
the climbs and that upgrade even out.
"""

from __future__ import annotations

import re
from typing import Any

from xdist.scheduler import LoadScheduling

from pytest_releasesafe.verify import gc_freeze

_PER_REVISION = re.compile(r"^releasesafe::(stairway|data)\[")


# What a revision costs a worker that only upgrades through it (to reach its block, or in the
# whole-history upgrade item), in units of checking the first revision (stairway and data
# round-trip, weight 1.0). Unlike a check, an upgrade step reads no schema: its cost does not
# grow along the history. Measured with -n 2 on benchmarks/verify_real_history.py: climbing 71
# revisions ~0.65 s, the whole-history upgrade 1.0-1.4 s, a check 20-40 ms from first to last;
# at 0.45 the upgrade's worker still finished first (by 0.17 s, median of 4 runs at load 2), at
# 0.40 it takes 78 of the 150 revisions. Run-to-run noise on a shared machine is larger (±0.5 s).
CLIMB = 0.40


def _weight(index: int, total: int) -> float:
    """The relative cost of revision `index`: the schema grows along a history, and with it the
    snapshots and rows of every check (on the benchmark history the last revisions cost about
    twice the first)."""
    return 1.0 + index / max(total, 1)


def blocks(indices: list[int], count: int, first_extra: float = 0.0) -> list[list[int]]:
    """`indices` (in history order) in `count` contiguous blocks of even estimated work: the
    worker of block i first climbs through the revisions before it (CLIMB each), and the first
    worker also runs `first_extra` (in the same units) of other items."""
    total = len(indices)
    weights = [_weight(index, total) for index in range(total)]
    before = [0.0]
    for weight in weights:
        before.append(before[-1] + weight)

    def sizes(budget: float) -> list[int] | None:
        found, start = [], 0
        for block in range(count):
            room = budget - (first_extra if block == 0 else CLIMB * start)
            end = start
            while end < total and before[end + 1] - before[start] <= room + 1e-9:
                end += 1
            found.append(end - start)
            start = end
        return found if start == total else None

    low, high = 0.0, before[-1] + CLIMB * total + first_extra
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
        # The controller's heap from now on is mostly the workers' reports, made and dropped item
        # by item: what exists already is left out of the collector's runs (see gc_freeze).
        gc_freeze.freeze_after_collection()
        self.collection = collection
        chosen = {index for indices in by_revision.values() for index in indices}
        self.pending[:] = [index for index in range(len(collection)) if index not in chosen]
        if self.maxschedchunk is None:
            self.maxschedchunk = len(collection)
        revisions = list(range(len(by_revision)))
        groups = list(by_revision.values())
        upgrades = any(collection[index] == "releasesafe::upgrade" for index in self.pending)
        split = blocks(revisions, len(self.nodes), CLIMB * len(revisions) if upgrades else 0.0)
        if self.pending:
            # The other items to the first worker, ahead of its block: its block needs no climb,
            # drift reuses the database the upgrade item migrated, the block's database is made
            # while the upgrade runs, and the upgrade's is dropped while the block runs.
            self._send_tests(self.nodes[0], len(self.pending))
        for node, block in zip(self.nodes, split, strict=True):
            items = [index for revision in block for index in groups[revision]]
            if items:
                self.node2pending[node].extend(items)
                node.send_runtest_some(items)
        for node in self.nodes:
            node.shutdown()
