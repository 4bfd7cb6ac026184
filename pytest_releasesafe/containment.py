"""Keep one file's failure to that file: deep-nesting retries and short, user-facing reasons.

A migration nested thousands of levels deep (`a.a.a...`, 500 parentheses) exhausts Python's
recursion limit in `ast` or sqlglot long before it exhausts memory. Rather than give up at once, the
work is retried in a thread with a large stack and a raised limit; only what is still too deep
after that is reported as unreadable. Any other exception is described by type and first line
(never a traceback) so the caller can report it at the file and go on with the others.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")

DEEP_RECURSION_LIMIT = 60_000
DEEP_STACK_BYTES = 512 * 1024 * 1024  # address space, not memory: only the pages used are touched
_deep_lock = threading.Lock()  # the recursion limit is process-wide: one deep retry at a time
_DEEP_THREAD = "releasesafe-deep"


def deep_retry(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)`; if it is too deep for the default stack, once more with `run_deep`.
    Whatever the retry raises (RecursionError included) reaches the caller."""
    try:
        return function(*args)
    except RecursionError:
        pass  # leave the handler first: the retry must not run on top of the exhausted stack
    return run_deep(function, *args)


def run_deep(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` in a thread with a big stack and a raised recursion limit; re-raises its error."""
    if threading.current_thread().name == _DEEP_THREAD:
        raise RecursionError("too deep even with a large stack")  # already retried: do not nest
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = function(*args)
        except BaseException as error:  # noqa: BLE001 - handed back to the calling thread
            outcome["error"] = error

    with _deep_lock:
        old_limit = sys.getrecursionlimit()
        old_stack = threading.stack_size()
        try:
            _set_stack_size()
            sys.setrecursionlimit(max(old_limit, DEEP_RECURSION_LIMIT))
            thread = threading.Thread(target=target, name=_DEEP_THREAD)
            thread.start()
            thread.join()
        finally:
            threading.stack_size(old_stack)
            sys.setrecursionlimit(old_limit)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _set_stack_size() -> None:
    for size in (DEEP_STACK_BYTES, DEEP_STACK_BYTES // 4, DEEP_STACK_BYTES // 16):
        try:
            threading.stack_size(size)
            return
        except (ValueError, RuntimeError):  # a platform with a lower ceiling: take what it allows
            continue


def describe(error: BaseException, limit: int = 160) -> str:
    """`TypeError: first line of the message`, shortened: what a user can paste into a bug report."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if len(message) > limit:
        message = message[: limit - 1] + "…"
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def failure_line(traceback: TracebackType | None) -> int | None:
    """The line of the user's file being read when `traceback` was raised, if a frame knows it.

    Front ends hold the statement at hand in a local (`node` for Python's ast, `location`/`loc`
    for SQL); the innermost such local names the line to report, without the front ends having
    to track it for this rare case.
    """
    line: int | None = None
    while traceback is not None:
        local = traceback.tb_frame.f_locals
        for name in ("node", "location", "loc", "statement"):
            value = local.get(name)
            found = _line_of(value)
            if found is not None:
                line = found
                break
        traceback = traceback.tb_next
    return line


def _line_of(value: Any) -> int | None:
    if isinstance(value, list) and value:
        value = value[0]  # a statement's token list: its first token
    line = getattr(value, "lineno", None) or getattr(value, "line", None)
    return line if isinstance(line, int) and line > 0 else None
