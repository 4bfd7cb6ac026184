"""Once the migration checks are collected, the cyclic garbage collector leaves alone what exists.

After collection the heap holds pytest, SQLAlchemy, Alembic, the loaded revision scripts and the
items: objects that live as long as the process. Every full collection walks all of them and frees
none: those Python runs during the checks, the one pytest runs at the end of the session and again
in its clean-up (for unraisable exceptions), and the interpreter's own at exit, each about 0.1 s on
the benchmark history. Under xdist every worker pays them after its last item, while the
controller waits for it to end. `gc.freeze()` moves those objects out of the collector's sight;
objects made later (the checks' rows, snapshots and reflected tables) are collected as before.
The xdist controller, which collects nothing, freezes when it hands out the checks.

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


def session_started(config: pytest.Config) -> None:
    """At configure: what an earlier, ended session of this process froze is collectable again."""
    global _sessions_running, _frozen_here
    if _sessions_running == 0 and _frozen_here:
        gc.unfreeze()
        _frozen_here = False
    _sessions_running += 1
    config.add_cleanup(_session_ended)


def _session_ended() -> None:
    global _sessions_running
    _sessions_running -= 1


def freeze_after_collection() -> None:
    """The objects that exist now are left out of every later collection (outermost session only)."""
    global _frozen_here
    if _sessions_running == 1 and not _frozen_here:
        gc.freeze()
        _frozen_here = True
