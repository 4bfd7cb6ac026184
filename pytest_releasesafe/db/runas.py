"""Who a server we start runs as, and the private directories it gets.

PostgreSQL and MariaDB refuse to run as root. As root we run them as an existing unprivileged
user (never creating one), and hand that user only directories we created ourselves.
"""

from __future__ import annotations

import os
import pwd
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ENV_SERVER_USER = "RELEASESAFE_SERVER_USER"
ENV_RUN_DIR = "RELEASESAFE_RUN_DIR"
MEMORY_FS = Path("/dev/shm")
MEMORY_FS_MIN_FREE = 1 << 30


@dataclass(frozen=True)
class RunAs:
    """An unprivileged account to run a server as (only used when we are root)."""

    name: str
    uid: int
    gid: int


def server_account(preferred: Sequence[str]) -> RunAs | None:
    """None when not root (the server runs as us); else the first existing non-root account.

    RELEASESAFE_SERVER_USER names the account explicitly.
    """
    if os.geteuid() != 0:
        return None
    explicit = os.environ.get(ENV_SERVER_USER)
    names = [explicit] if explicit else [*preferred, "nobody"]
    for name in names:
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        if entry.pw_uid != 0:
            return RunAs(name=name, uid=entry.pw_uid, gid=entry.pw_gid)
    from pytest_releasesafe.db.errors import DatabaseUnavailable

    tried = ", ".join(names)
    raise DatabaseUnavailable(
        f"running as root and no unprivileged account to run the server as (tried {tried}); "
        f"set {ENV_SERVER_USER} to an existing non-root user"
    )


def private_run_dir(prefix: str, account: RunAs | None) -> Path:
    """A fresh 0700 directory for one server's data, socket and log, owned by the server's account."""
    parent = run_parent()
    if account is not None and not _traversable_by_others(parent):
        # The server's account must reach its directory; a root-only TMPDIR would stop it.
        parent = Path("/tmp")
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    if account is not None:
        os.chown(path, account.uid, account.gid)
    return path


def run_parent() -> Path:
    """Where run directories go: $RELEASESAFE_RUN_DIR, else memory (/dev/shm) when roomy, else TMPDIR.

    The data is thrown away at the end, so memory is the right place: on a disk, creating each
    database costs several times more (the copy of the template is written out for nothing).
    A small /dev/shm (64 MB in a default Docker container) is not used.
    """
    explicit = os.environ.get(ENV_RUN_DIR)
    if explicit:
        return Path(explicit)
    try:
        stats = os.statvfs(MEMORY_FS)
        if stats.f_bavail * stats.f_frsize >= MEMORY_FS_MIN_FREE and os.access(MEMORY_FS, os.W_OK | os.X_OK):
            return MEMORY_FS
    except OSError:
        pass
    return Path(tempfile.gettempdir())


def give_tree(path: Path, account: RunAs | None) -> None:
    """Hand a tree we created (a copied data directory) to the server's account."""
    if account is None:
        return
    os.chown(path, account.uid, account.gid)
    for root, directories, files in os.walk(path):
        for name in (*directories, *files):
            os.chown(os.path.join(root, name), account.uid, account.gid, follow_symlinks=False)


def _traversable_by_others(path: Path) -> bool:
    for directory in (path, *path.parents):
        if not os.stat(directory).st_mode & stat.S_IXOTH:
            return False
    return True
