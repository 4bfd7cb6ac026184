"""The user cache directory shared by every part of the product (nothing is written elsewhere)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_CACHE_DIR = "RELEASESAFE_CACHE_DIR"


def cache_dir(*parts: str) -> Path:
    """`$RELEASESAFE_CACHE_DIR`, else `$XDG_CACHE_HOME/pytest-releasesafe`, else ~/.cache/...; made 0700."""
    base = os.environ.get(ENV_CACHE_DIR)
    if base:
        root = Path(base)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        root = (Path(xdg) if xdg else Path.home() / ".cache") / "pytest-releasesafe"
    path = root.joinpath(*parts)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path
