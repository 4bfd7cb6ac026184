"""Whether to colour output: NO_COLOR (no-color.org) always wins, then FORCE_COLOR, then "is it a terminal"."""

from __future__ import annotations

import os


def wants_color(is_terminal: bool) -> bool:
    # Both conventions count a variable as set only when it is non-empty; FORCE_COLOR=0 means "don't".
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR")
    if force:
        return force not in ("0", "false")
    return is_terminal
