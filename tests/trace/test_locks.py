"""What each PostgreSQL table lock mode blocks for other sessions."""

from __future__ import annotations

import pytest

from pytest_releasesafe.verify.trace.locks import LOCK_MODES, blocks, strength, worst


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("AccessShareLock", None),
        ("RowShareLock", None),
        ("RowExclusiveLock", None),
        ("ShareUpdateExclusiveLock", None),
        ("ShareLock", "writes"),
        ("ShareRowExclusiveLock", "writes"),
        ("ExclusiveLock", "writes"),
        ("AccessExclusiveLock", "reads"),
    ],
)
def test_blocks_follows_the_conflict_table(mode: str, expected: str | None) -> None:
    assert blocks(mode) == expected


def test_worst_prefers_reads_over_writes_over_nothing() -> None:
    assert worst([None, "writes", "reads", "writes"]) == "reads"
    assert worst([None, "writes"]) == "writes"
    assert worst([None]) is None
    assert worst([]) is None


def test_strength_orders_the_ladder_and_puts_unknown_modes_first() -> None:
    assert [strength(mode) for mode in LOCK_MODES] == list(range(len(LOCK_MODES)))
    assert strength("SIReadLock") < strength("AccessShareLock")
