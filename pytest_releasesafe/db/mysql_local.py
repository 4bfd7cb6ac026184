"""Our own MariaDB (or MySQL) instance from local binaries, in a throwaway data directory.

Like the PostgreSQL one: the freshly installed data directory is cached per server build and
copied; the server has no TCP port (--skip-networking), only a socket in its 0700 run directory,
and trades durability for speed.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import URL

from pytest_releasesafe.db.cache import pristine_copy, remembered_version
from pytest_releasesafe.db.copytree import copy_private_tree
from pytest_releasesafe.db.runas import RunAs, give_tree, private_run_dir, server_account
from pytest_releasesafe.db.spec import DatabaseSpec

if TYPE_CHECKING:
    from pytest_releasesafe.db.provision import Way
    from pytest_releasesafe.db.server import Server

SEARCH_DIRS = ("/usr/sbin", "/usr/libexec", "/usr/local/mysql/bin", "/usr/local/sbin")
PRISTINE_FORMAT = 1
MARIADB, MYSQL = 1, 0  # the product, remembered with the version (see _ask_version)
START_TIMEOUT = 60.0
REDO_LOG_SIZE = "8M"  # the default 96 MB redo log would be copied for every server

SERVER_OPTIONS = (
    "--skip-networking",
    "--skip-name-resolve",
    "--skip-log-bin",
    "--innodb-flush-log-at-trx-commit=0",
    "--innodb-doublewrite=0",
    "--innodb-buffer-pool-size=64M",
    f"--innodb-log-file-size={REDO_LOG_SIZE}",
    "--character-set-server=utf8mb4",
)


@dataclass(frozen=True)
class MysqlBinaries:
    server: Path
    version: tuple[int, ...]
    mariadb: bool
    install_db: Path | None  # MariaDB's installer; MySQL initializes with the server itself

    def describe(self) -> str:
        product = "MariaDB" if self.mariadb else "MySQL"
        return f"{product} {'.'.join(map(str, self.version))} from {self.server}"


def way(spec: DatabaseSpec) -> Way:
    from pytest_releasesafe.db.provision import Way

    binaries = local_binaries()
    if binaries is None:
        return Way(
            "local binaries", reason="no mariadbd/mysqld (with mariadb-install-db) in PATH or /usr/sbin"
        )
    if spec.version and binaries.version[: len(spec.version)] != spec.version:
        return Way("local binaries", reason=f"found {binaries.describe()}, not version {spec.version}")
    return Way("local binaries", start=lambda: start_mysql(binaries))


def local_binaries(path: str | None = None) -> MysqlBinaries | None:
    search = os.pathsep.join([path or os.environ.get("PATH", ""), *SEARCH_DIRS])
    for name in ("mariadbd", "mysqld"):
        server = shutil.which(name, path=search)
        if server is None:
            continue
        identity = remembered_version(Path(server), _ask_version)
        if identity is None:
            continue
        *numbers, product = identity
        mariadb = product == MARIADB
        install_db = None
        if mariadb:
            found = shutil.which("mariadb-install-db", path=search) or shutil.which(
                "mysql_install_db", path=search
            )
            if found is None:
                continue
            install_db = Path(found)
        return MysqlBinaries(Path(os.path.realpath(server)), tuple(numbers), mariadb, install_db)
    return None


def _ask_version(server: Path) -> tuple[int, ...] | None:
    """(major, minor, MARIADB or MYSQL) from `server --version`."""
    try:
        banner = subprocess.run(
            [server, "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"Ver\s+(\d+)\.(\d+)", banner)
    if not match:
        return None
    return (int(match.group(1)), int(match.group(2)), MARIADB if "mariadb" in banner.lower() else MYSQL)


def pristine_data_dir(binaries: MysqlBinaries, account: RunAs | None) -> Path:
    """A cached, freshly installed data directory for this server build, made once."""
    from pytest_releasesafe.db.process import run_as

    def install(target: Path) -> None:
        if binaries.install_db is not None:
            argv = [
                str(binaries.install_db),
                "--no-defaults",
                f"--datadir={target}",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                f"--innodb-log-file-size={REDO_LOG_SIZE}",
            ]
        else:
            argv = [
                str(binaries.server),
                "--no-defaults",
                "--initialize-insecure",
                f"--datadir={target}",
                f"--innodb-redo-log-capacity={REDO_LOG_SIZE}",
            ]
        run_as(argv, account, cwd=target.parent, what=f"creating the data directory of {binaries.describe()}")

    # The format number changes whenever the way we make the directory changes (options).
    identity = f"{binaries.server}|format={PRISTINE_FORMAT}"
    return pristine_copy("mysql", binaries.version, identity, "mysql", account, install)


def start_mysql(binaries: MysqlBinaries) -> Server:
    from pytest_releasesafe.db.dialects.mysql import MysqlOps
    from pytest_releasesafe.db.process import ServerProcess
    from pytest_releasesafe.db.server import Server

    account = server_account(["mysql"])
    pristine = pristine_data_dir(binaries, account)
    run_dir = private_run_dir("rs-mysql-", account)
    socket_path = run_dir / "mysqld.sock"
    try:
        data = run_dir / "data"
        copy_private_tree(pristine, data, account)
        (run_dir / "tmp").mkdir(mode=0o700)
        give_tree(run_dir / "tmp", account)
        argv = [
            str(binaries.server),
            "--no-defaults",
            f"--datadir={data}",
            f"--socket={socket_path}",
            f"--pid-file={run_dir / 'mysqld.pid'}",
            f"--tmpdir={run_dir / 'tmp'}",
            *SERVER_OPTIONS,
        ]
        if not binaries.mariadb:
            argv = [option.replace("--innodb-log-file-size", "--innodb-redo-log-capacity") for option in argv]
        process = ServerProcess("mysql", argv, run_dir, account, stop_signal=signal.SIGTERM)
    except BaseException:
        shutil.rmtree(run_dir, ignore_errors=True)
        raise
    process.wait_until(lambda: _accepting_connections(socket_path), START_TIMEOUT, binaries.describe())
    url = URL.create(
        "mysql+pymysql", username="root", database="mysql", query={"unix_socket": str(socket_path)}
    )
    user = f" as {account.name}" if account else ""
    try:
        return Server(
            url,
            MysqlOps(),
            owned=process,
            description=f"{binaries.describe()}{user}",
            version=binaries.version,
        )
    except BaseException:
        process.stop()
        raise


def _accepting_connections(socket_path: Path) -> bool:
    import pymysql

    if not socket_path.exists():
        return False
    try:
        pymysql.connect(unix_socket=str(socket_path), user="root", connect_timeout=1).close()
    except pymysql.err.MySQLError:
        return False
    return True
