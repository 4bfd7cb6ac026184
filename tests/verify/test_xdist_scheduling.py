"""How the per-revision items are split between xdist workers: contiguous blocks whose estimated
work (climbing to the block, checking it, the first worker's other items) comes out even."""

from __future__ import annotations

import pytest

from pytest_releasesafe.verify.xdist_scheduling import CLIMB, _weight, blocks


def _work(split: list[list[int]], first_extra: float, total: int) -> list[float]:
    def weight(indices: range | list[int]) -> float:
        return sum(_weight(index, total) for index in indices)

    return [
        weight(block) + (first_extra if number == 0 else CLIMB * (block[0] if block else 0))
        for number, block in enumerate(split)
    ]


@pytest.mark.parametrize(("revisions", "workers"), [(150, 2), (150, 3), (7, 2), (1, 2), (0, 3), (40, 4)])
@pytest.mark.parametrize("with_upgrade", [True, False])
def test_blocks_cover_the_history_in_order_with_even_work(
    revisions: int, workers: int, with_upgrade: bool
) -> None:
    extra = CLIMB * revisions if with_upgrade else 0.0
    split = blocks(list(range(revisions)), workers, extra)
    assert len(split) == workers
    assert [index for block in split for index in block] == list(range(revisions))
    work = [w for w, block in zip(_work(split, extra, revisions), split, strict=True) if block]
    if work:
        assert max(work) - min(work) <= 2.0 + 1e-9  # one revision's weight either way


def test_the_first_worker_takes_fewer_revisions_when_it_also_runs_the_upgrade() -> None:
    plain = blocks(list(range(150)), 2)
    loaded = blocks(list(range(150)), 2, CLIMB * 150)
    assert len(plain[0]) > len(plain[1])  # the second one climbs first
    assert len(loaded[0]) < len(plain[0])  # the first one also upgrades the whole history
