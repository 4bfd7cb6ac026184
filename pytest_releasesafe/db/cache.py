"""The user cache directory: pristine data directories per server version, and pid records."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
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


def remembered_version(binary: Path, ask: Callable[[Path], tuple[int, ...] | None]) -> tuple[int, ...] | None:
    """`ask(binary)` (which runs the binary), remembered per path, size and mtime across sessions.

    Running `postgres --version` for each candidate costs tens of milliseconds per session.
    """
    try:
        stat = os.stat(binary)
    except OSError:
        return None
    key = f"{os.path.realpath(binary)}:{stat.st_size}:{stat.st_mtime_ns}"
    store = cache_dir() / "versions.json"
    try:
        known = json.loads(store.read_text())
    except (OSError, ValueError):
        known = {}
    if key in known:
        return tuple(known[key]) if known[key] else None
    version = ask(binary)
    known[key] = list(version) if version else None
    staging = store.with_suffix(f".{os.getpid()}.tmp")
    try:
        staging.write_text(json.dumps(known))
        staging.replace(store)  # atomic: concurrent workers never read half a file
    except OSError:
        staging.unlink(missing_ok=True)
    return version
