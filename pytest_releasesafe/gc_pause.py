"""Pause the cyclic garbage collector around work whose objects it cannot free.

Reading a file builds thousands of objects that are either freed by reference counting as soon as
the file is read (its syntax tree) or kept to the end of the run (operations, catalogue snapshots).
A collection in the middle frees neither; it only walks them all. Cycles left behind (sqlglot's
trees point at their parents) are collected by the first collection after the pause.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
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
