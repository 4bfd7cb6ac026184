"""Fewer runs of the cyclic garbage collector around work whose objects it cannot free.

Reading a file builds thousands of objects that are either freed by reference counting as soon as
the file is read (its syntax tree) or kept to the end of the run (operations, catalogue snapshots).
A collection in the middle frees neither; it only walks them all. Cycles left behind (sqlglot's
trees point at their parents) are collected by the first collection after the pause.

- `paused`: one file's parse with the collector off (the linter, file by file).
- `fewer_collections`: a whole command that parses and rewrites one very large module (flags
  removal on a 100k-line file: millions of ast and libcst nodes, a third of the CPU went on
  collections). Its trees hold no cycles; the objects that exist before are frozen out of the runs.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def paused(work: Callable[P, R]) -> Callable[P, R]:
    """`work`, run with the collector off (and back on afterwards if it was on)."""

    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return work(*args, **kwargs)
        gc.disable()
        try:
            return work(*args, **kwargs)
        finally:
            gc.enable()

    run.__name__ = work.__name__
    run.__qualname__ = work.__qualname__
    run.__doc__ = work.__doc__
    return run


_YOUNG_THRESHOLD = 100_000  # new objects between two runs (Python's default: 700)


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect every 100,000 new objects instead of 700 until the block ends, then as before."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(_YOUNG_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
