"""Once the migration checks are collected, the cyclic garbage collector leaves alone what exists.

After collection the heap holds pytest, SQLAlchemy, Alembic, the loaded revision scripts and the
items: objects that live as long as the process. Every full collection walks all of them and frees
none: those Python runs during the checks, the one pytest runs at the end of the session and again
in its clean-up (for unraisable exceptions), and the interpreter's own at exit, each about 0.1 s on
the benchmark history. Under xdist every worker pays them after its last item, while the
controller waits for it to end. `gc.freeze()` moves those objects out of the collector's sight;
objects made later (the checks' rows, snapshots and reflected tables) are collected as before.
The xdist controller, which collects nothing, freezes when it hands out the checks.

Until then, where the checks are configured, the collector runs every 100,000 new objects instead
of 700: plugin loading, the imports of SQLAlchemy and Alembic and the loading of the history make
objects that all survive, and each young-generation run only walked them (~0.05 s of CPU in every
process, each xdist worker included). The thresholds are back before the first test.

They stay frozen until the process ends: unfreezing at the end of the session would hand them all
back to the interpreter's exit collections. A later session in the same process (pytest.main()
called again, a notebook) unfreezes them first, so what the earlier one left is collected; a
session run inside another (pytester's in-process runs) freezes nothing, since the outer session
goes on and its objects would be kept from the collector.
"""

from __future__ import annotations

import gc

import pytest

# Module state, not the config's: it spans the sessions of one process.
_sessions_running = 0
_frozen_here = False
_thresholds: tuple[int, ...] | None = None  # Python's, while raised until collection ends

_YOUNG_THRESHOLD = 100_000  # new objects between two runs until collection ends (Python's: 700)


def session_started(config: pytest.Config, checks_configured: bool) -> None:
    """At configure: what an earlier, ended session of this process froze is collectable again;
    with the checks configured, fewer collections until collection ends."""
    global _sessions_running, _frozen_here, _thresholds
    if _sessions_running == 0 and _frozen_here:
        gc.unfreeze()
        _frozen_here = False
    _sessions_running += 1
    config.add_cleanup(_session_ended)
    if checks_configured and _sessions_running == 1 and _thresholds is None:
        _thresholds = gc.get_threshold()
        gc.set_threshold(_YOUNG_THRESHOLD, *_thresholds[1:])


def _session_ended() -> None:
    global _sessions_running
    _sessions_running -= 1
    collection_ended()  # if it never did (an error, an interrupt)


def collection_ended() -> None:
    """Python's thresholds again (outermost session only: a nested one never raised them)."""
    global _thresholds
    if _thresholds is not None and _sessions_running <= 1:
        gc.set_threshold(*_thresholds)
        _thresholds = None


def freeze_after_collection() -> None:
    """The objects that exist now are left out of every later collection (outermost session only)."""
    global _frozen_here
    collection_ended()
    if _sessions_running == 1 and not _frozen_here:
        gc.freeze()
        _frozen_here = True
