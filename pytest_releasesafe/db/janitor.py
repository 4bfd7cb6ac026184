"""Records of what we start, so a later run can clean up what a killed session left behind.

Servers:
Each server gets a record in the cache: its pid and start time, the pid and start time of the
pytest process that owns it, and its run directory. A record whose owner is gone is an orphan:
reap_orphans() stops its server (if that exact process still runs) and removes its directory.
Start times guard against pid reuse: we never signal a process that is not the one we started.

Directories without a server (SQLite's database files) get a record of the same shape with no
server pid; reaping one only removes its directory.

Databases on servers we only connect to (a URL): each gets a record naming the server by a hash
of its URL (no credentials are stored) and the owning pytest process. When a later run connects
to the same URL, it drops the databases whose owner is gone.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import time
from pathlib import Path

from pytest_releasesafe.db.cache import cache_dir

RUN_DIR_PREFIX = "rs-"


def _records() -> Path:
    return cache_dir("servers")


def start_time(pid: int) -> str | None:
    """The kernel's start time of `pid` (None if it does not exist), from /proc where available."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rpartition(")")[2].split()
        # A zombie has exited; only its parent's wait() is missing. Treat it as gone.
        return None if fields[0] in ("Z", "X") else fields[19]
    except FileNotFoundError:
        return None
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return "?"  # no /proc: we can only tell that some process has this pid


def is_running(pid: int, started: str | None) -> bool:
    current = start_time(pid)
    return current is not None and (started in (None, "?") or current == started)


def record(pid: int, run_dir: Path, kind: str) -> Path:
    owner = os.getpid()
    path = _records() / f"{kind}-{pid}.json"
    entry = {
        "kind": kind,
        "pid": pid,
        "pid_start": start_time(pid),
        "owner": owner,
        "owner_start": start_time(owner),
        "run_dir": str(run_dir),
    }
    path.write_text(json.dumps(entry))
    return path


def record_directory(run_dir: Path, kind: str) -> Path:
    """Record a directory we own that no server process holds (SQLite), so it is reaped if we die."""
    owner = os.getpid()
    path = _records() / f"{kind}-{owner}-{run_dir.name}.json"
    entry = {
        "kind": kind,
        "pid": None,
        "owner": owner,
        "owner_start": start_time(owner),
        "run_dir": str(run_dir),
    }
    path.write_text(json.dumps(entry))
    return path


def forget(path: Path) -> None:
    path.unlink(missing_ok=True)


def reap_orphans() -> list[str]:
    """Stop servers and remove directories left by sessions that died; returns what was cleaned."""
    cleaned: list[str] = []
    for path in sorted(_records().glob("*.json")):
        try:
            entry = json.loads(path.read_text())
        except (OSError, ValueError):
            continue  # being written, or removed by another worker meanwhile
        if is_running(int(entry["owner"]), entry.get("owner_start")):
            continue
        # Claim the record first, so two xdist workers never reap the same server.
        claimed = path.with_suffix(f".reaping-{os.getpid()}")
        try:
            path.rename(claimed)
        except OSError:
            continue
        pid = entry.get("pid")  # None: a directory with no server (SQLite)
        if pid and is_running(int(pid), entry.get("pid_start")):
            terminate(int(pid), entry.get("pid_start"), first=signal.SIGQUIT)
        run_dir = Path(entry["run_dir"])
        if run_dir.is_absolute() and run_dir.name.startswith(RUN_DIR_PREFIX):
            shutil.rmtree(run_dir, ignore_errors=True)
        claimed.unlink(missing_ok=True)
        cleaned.append(f"{entry['kind']} {'pid ' + str(pid) + ' ' if pid else ''}in {run_dir}")
    return cleaned


def terminate(pid: int, started: str | None, first: signal.Signals, grace: float = 5.0) -> None:
    """Send `first`, wait up to `grace` seconds, then SIGKILL; only while it is still our process."""
    for sig, wait in ((first, grace), (signal.SIGKILL, 2.0)):
        if not is_running(pid, started):
            return
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            _collect(pid)
            if not is_running(pid, started):
                return
            time.sleep(0.02)


def _collect(pid: int) -> None:
    """Reap a zombie if it is our own child (otherwise it would look alive until we exit)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def server_key(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:24]


def _database_records() -> Path:
    return cache_dir("databases")


def record_database(url: str, name: str) -> Path:
    owner = os.getpid()
    path = _database_records() / f"{server_key(url)}-{name}.json"
    path.write_text(json.dumps({"name": name, "owner": owner, "owner_start": start_time(owner)}))
    return path


def orphaned_databases(url: str) -> list[tuple[str, Path]]:
    """Databases made on the server at `url` by sessions that are gone, with their claimed records."""
    orphans = []
    for path in sorted(_database_records().glob(f"{server_key(url)}-*.json")):
        try:
            entry = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if is_running(int(entry["owner"]), entry.get("owner_start")):
            continue
        claimed = path.with_suffix(f".reaping-{os.getpid()}")
        try:
            path.rename(claimed)
        except OSError:
            continue  # another worker is on it
        orphans.append((str(entry["name"]), claimed))
    return orphans
