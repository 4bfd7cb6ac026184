"""Forked workers: the parent reads their results while they still run, and loses none of them."""

from __future__ import annotations

import os
import signal
import time

import pytest

from pytest_releasesafe import engine


@pytest.fixture(autouse=True)
def two_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELEASESAFE_JOBS", "2")


def test_results_a_worker_is_still_writing_are_read_whole_and_in_order() -> None:
    parent = os.getpid()

    def work(item: int) -> tuple[int, str]:
        if os.getpid() != parent:
            time.sleep(0.003)  # the worker is slower: the parent reads its spool while it writes
        return item, str(item) * (50_000 + item)  # records of several reads each

    items = list(range(40))
    sizes = [10_000] * len(items)
    results = engine.parallel_map(work, items, sizes, died=lambda item, status: (item, "died"))
    assert results == [work(i) for i in items]


def test_a_worker_killed_while_the_parent_reads_loses_only_its_item() -> None:
    parent = os.getpid()

    def work(item: int) -> str:
        if os.getpid() != parent:
            time.sleep(0.002)
            if item == 0:  # the biggest: in the worker's share
                os.kill(os.getpid(), signal.SIGKILL)
        return f"done {item}"

    items = list(range(30))
    sizes = [100_000] + [10_000] * 29
    results = engine.parallel_map(work, items, sizes, died=lambda item, status: f"died {item} {status}")
    assert results[0] == f"died 0 {signal.SIGKILL}"
    assert results[1:] == [f"done {i}" for i in items[1:]]
