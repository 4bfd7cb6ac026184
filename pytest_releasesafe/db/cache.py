"""The user cache directory: pristine data directories per server version, and pid records."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from pytest_releasesafe.db.runas import RunAs, private_run_dir
from pytest_releasesafe.user_cache import ENV_CACHE_DIR, cache_dir

__all__ = ["ENV_CACHE_DIR", "cache_dir", "pristine_copy", "remembered_version"]


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


def pristine_copy(
    kind: str,
    version: tuple[object, ...],
    identity: str,
    ready: str,
    account: RunAs | None,
    make: Callable[[Path], None],
) -> Path:
    """A freshly initialised data directory, made once per server build and kept in the cache.

    `make(target)` creates it at `target` inside a private run directory owned by `account` (the
    one the server runs as); `ready` names a path only a finished directory has. Concurrent workers each make
    their own and the first rename wins: theirs is as good as ours.
    """
    key = f"{'.'.join(map(str, version))}-{hashlib.sha1(identity.encode()).hexdigest()[:10]}"
    root = cache_dir(kind)
    final = root / key
    if (final / ready).exists():
        return final
    work = private_run_dir(f"rs-{kind}-init-", account)
    staging = root / f".staging-{key}-{os.getpid()}"
    try:
        target = work / "data"
        make(target)
        shutil.copytree(target, staging, symlinks=True)
        try:
            staging.rename(final)
        except OSError:
            pass  # another worker cached it first
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
