"""Our own PostgreSQL from binaries on this machine: a private, throwaway server for the session.

Fast because initdb runs once per server version: its pristine data directory is cached and
copied for each server. The server listens only on a Unix socket in its 0700 run directory,
with trust auth confined to that socket, and fsync off (the data is thrown away anyway).
"""

from __future__ import annotations

import functools
import glob
import os
import re
import shutil
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import URL

from pytest_releasesafe.db.cache import pristine_copy, remembered_version
from pytest_releasesafe.db.copytree import copy_private_tree
from pytest_releasesafe.db.runas import RunAs, private_run_dir, server_account
from pytest_releasesafe.db.spec import DatabaseSpec

if TYPE_CHECKING:
    from pytest_releasesafe.db.provision import Way
    from pytest_releasesafe.db.server import Server

SOCKET_PORT = 5432  # only names the socket file; nothing listens on TCP
PRISTINE_FORMAT = 1
START_TIMEOUT = 30.0
SYSTEM_BINDIR_GLOBS = ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/usr/local/pgsql/bin")

# Settings for a disposable server: durability is useless, speed is everything.
SERVER_SETTINGS = {
    "listen_addresses": "",
    "port": str(SOCKET_PORT),
    "unix_socket_permissions": "0700",
    "fsync": "off",
    "full_page_writes": "off",
    "synchronous_commit": "off",
    "max_connections": "200",
}


@dataclass(frozen=True)
class PostgresBinaries:
    bindir: Path
    version: tuple[int, ...]
    found_in: str

    def describe(self) -> str:
        return f"PostgreSQL {'.'.join(map(str, self.version))} from {self.bindir} ({self.found_in})"


def way(spec: DatabaseSpec) -> Way:
    from pytest_releasesafe.db.provision import Way

    seen = []
    for binaries in iter_local_binaries():
        if choose([binaries], spec.version) is not None:
            return Way("local binaries", start=functools.partial(start_postgres, binaries))
        seen.append(binaries)
    if not seen:
        return Way(
            "local binaries",
            reason="no PostgreSQL server binaries in PATH, pg_config --bindir or /usr/lib/postgresql/*/bin",
        )
    versions = ", ".join(binaries.describe() for binaries in seen)
    return Way("local binaries", reason=f"none matches version {spec.version}: found {versions}")


def choose(found: list[PostgresBinaries], pin: tuple[int, ...] | None) -> PostgresBinaries | None:
    for binaries in found:
        if pin is None or binaries.version[: len(pin)] == pin:
            return binaries
    return None


def local_binaries(path: str | None = None) -> list[PostgresBinaries]:
    """Server binaries in search order: PATH, pg_config --bindir, well-known dirs (newest first)."""
    return list(iter_local_binaries(path))


def iter_local_binaries(path: str | None = None) -> Iterator[PostgresBinaries]:
    """Like local_binaries, lazily: pg_config and the well-known dirs are looked at only if needed."""
    seen: set[Path] = set()
    for bindir, found_in in _candidates(path):
        real = Path(os.path.realpath(bindir))
        if real in seen:
            continue
        seen.add(real)
        version = binaries_version(real)
        if version is not None:
            yield PostgresBinaries(real, version, found_in)


def _candidates(path: str | None) -> Iterator[tuple[Path, str]]:
    on_path = shutil.which("postgres", path=path)
    if on_path:
        yield Path(os.path.realpath(on_path)).parent, "PATH"
    pg_config = shutil.which("pg_config", path=path)
    if pg_config:
        try:
            bindir = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            ).stdout.strip()
            yield Path(bindir), "pg_config --bindir"
        except (OSError, subprocess.SubprocessError):
            pass
    system_dirs = [Path(directory) for pattern in SYSTEM_BINDIR_GLOBS for directory in glob.glob(pattern)]
    system_dirs.sort(key=lambda directory: _numbers(str(directory)), reverse=True)
    for directory in system_dirs:
        yield directory, str(directory.parent.parent)


def _numbers(text: str) -> tuple[int, ...]:
    return tuple(int(number) for number in re.findall(r"\d+", text))


def binaries_version(bindir: Path) -> tuple[int, ...] | None:
    """The version of `bindir/postgres`, or None unless postgres, initdb are both there and run."""
    postgres, initdb = bindir / "postgres", bindir / "initdb"
    if not (os.access(postgres, os.X_OK) and os.access(initdb, os.X_OK)):
        return None
    return remembered_version(postgres, _ask_version)


def _ask_version(postgres: Path) -> tuple[int, ...] | None:
    try:
        banner = subprocess.run(
            [str(postgres), "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\)\s*(\d+)(?:\.(\d+))?", banner)
    if not match:
        return None
    return tuple(int(part) for part in match.groups() if part is not None)


def pristine_data_dir(binaries: PostgresBinaries, account: RunAs | None) -> Path:
    """A cached, cleanly shut down initdb result for this server build, made once."""
    from pytest_releasesafe.db.process import run_as

    def initdb(target: Path) -> None:
        run_as(
            [
                str(binaries.bindir / "initdb"),
                "--pgdata",
                str(target),
                "--username=postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
                # 1 MB WAL segments instead of 16 MB: a much smaller directory to copy per server.
                "--wal-segsize=1",
            ],
            account,
            cwd=target.parent,
            what=f"initdb of {binaries.describe()}",
        )
        # Only the private Unix socket exists; make that the only way in, too.
        (target / "pg_hba.conf").write_text("local all all trust\n")

    # The format number changes whenever the way we make the directory changes (options, pg_hba).
    identity = f"{binaries.bindir}|format={PRISTINE_FORMAT}"
    return pristine_copy("postgres", binaries.version, identity, "PG_VERSION", account, initdb)


def start_postgres(binaries: PostgresBinaries) -> Server:
    from pytest_releasesafe.db.dialects.postgresql import PostgresOps
    from pytest_releasesafe.db.process import ServerProcess
    from pytest_releasesafe.db.server import Server

    account = server_account(["postgres"])
    pristine = pristine_data_dir(binaries, account)
    run_dir = private_run_dir("rs-pg-", account)
    try:
        data = run_dir / "data"
        copy_private_tree(pristine, data, account)
        settings = {**SERVER_SETTINGS, "unix_socket_directories": str(run_dir)}
        argv = [str(binaries.bindir / "postgres"), "-D", str(data)]
        for name, value in settings.items():
            argv += ["-c", f"{name}={value}"]
        process = ServerProcess("postgresql", argv, run_dir, account, stop_signal=signal.SIGINT)
    except BaseException:
        shutil.rmtree(run_dir, ignore_errors=True)
        raise
    process.wait_until(lambda: _accepting_connections(data), START_TIMEOUT, binaries.describe())
    url = URL.create(
        "postgresql+psycopg",
        username="postgres",
        database="postgres",
        query={"host": str(run_dir), "port": str(SOCKET_PORT)},
    )
    user = f" as {account.name}" if account else ""
    try:
        # postmaster.pid said "ready": no need to spend a connection on proving it.
        return Server(
            url,
            PostgresOps(),
            owned=process,
            description=f"{binaries.describe()}{user}",
            version=binaries.version,
        )
    except BaseException:
        process.stop()
        raise


def _accepting_connections(data: Path) -> bool:
    # Since PostgreSQL 10 the postmaster writes its status as the 8th line of postmaster.pid.
    try:
        lines = (data / "postmaster.pid").read_text().splitlines()
    except OSError:
        return False
    return len(lines) >= 8 and lines[7].strip() == "ready"
