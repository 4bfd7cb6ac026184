"""One piece of work in a forked child while this process does another: the way to a second core
for pure-Python parsing and rewriting, which hold the GIL. Standard library only (the scan uses it
and never imports libcst)."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
U = TypeVar("U")


def can_split() -> bool:
    """Fork a second process? Not on Windows, not on one core, not inside a worker already (a run
    over many files works in a pool of them)."""
    return sys.platform != "win32" and (os.cpu_count() or 1) > 1 and multiprocessing.parent_process() is None


_work: Callable[[], object] | None = None


def _run() -> object:
    assert _work is not None, "set before the fork"
    return _work()


def side_by_side(child: Callable[[], T], here: Callable[[], U]) -> tuple[T, U]:
    """(child(), here()): ``child`` runs in a forked copy of this process (its result is pickled
    back; what it changes stays there), ``here`` in this one at the same time."""
    global _work
    _work = child
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            pending = pool.apply_async(_run)
            mine = here()
            theirs = pending.get()
    finally:
        _work = None
    return theirs, mine  # type: ignore[return-value]
