"""A database server process we started: spawned as its account, watched, and stopped for sure."""

from __future__ import annotations

import atexit
import ctypes
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from pytest_releasesafe.db import janitor
from pytest_releasesafe.db.errors import ServerStartError
from pytest_releasesafe.db.runas import RunAs

_PR_SET_PDEATHSIG = 1


def _die_with_parent(sig: signal.Signals) -> Callable[[], None] | None:
    """In the child: ask Linux to signal it when its parent dies (a SIGKILLed pytest, say).

    The janitor still covers other platforms and the case where this is not possible.
    """
    if not os.path.exists("/proc/self") or threading.current_thread() is not threading.main_thread():
        # The signal fires when the spawning *thread* exits: only safe from the main thread.
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None

    def set_signal() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)

    return set_signal


def clean_environment() -> dict[str, str]:
    """The server's environment: no PG*/MYSQL* variables of the user, C locale messages."""
    keep = {"PATH", "TZ", "LD_LIBRARY_PATH"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.setdefault("PATH", "/usr/bin:/bin")
    env["LC_ALL"] = "C"
    return env


def _spawn(
    argv: Sequence[str], run_dir: Path, log: IO[bytes], extra: dict[str, Any]
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        list(argv),
        cwd=run_dir,
        env=clean_environment(),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C in the terminal is for pytest, not the server
        preexec_fn=_die_with_parent(signal.SIGQUIT),
        **extra,
    )


class ServerProcess:
    """One server process with its run directory; stop() stops it and removes the directory."""

    def __init__(
        self,
        kind: str,
        argv: Sequence[str],
        run_dir: Path,
        account: RunAs | None,
        *,
        stop_signal: signal.Signals,
        log_path: Path | None = None,
    ) -> None:
        self.kind = kind
        self.run_dir = run_dir
        self.log_path = log_path or run_dir / "server.log"
        self.account = account
        self.stop_signal = stop_signal
        self._record: Path | None = None
        with open(self.log_path, "ab") as log:
            extra: dict[str, Any] = {}
            if account is not None:
                extra = {"user": account.uid, "group": account.gid, "extra_groups": []}
            try:
                self.popen = _spawn(argv, run_dir, log, extra)
            except OSError as error:
                who = f" as {account.name}" if account else ""
                raise ServerStartError(f"cannot run {argv[0]}{who}: {error}") from None
        self._record = janitor.record(self.popen.pid, run_dir, kind)
        # A script that never calls stop() still cleans up when its interpreter exits normally.
        atexit.register(self.stop)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def exited(self) -> bool:
        return self.popen.poll() is not None

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError as error:
            return f"(no log: {error})"
        return "\n".join(text.splitlines()[-lines:]) or "(log is empty)"

    def wait_until(self, ready: Callable[[], bool], timeout: float, what: str) -> None:
        """Poll `ready` until it holds; raise ServerStartError with the log tail if the server dies first."""
        deadline = time.monotonic() + timeout
        delay = 0.005
        while not ready():
            if self.exited():
                self.fail(f"{what} exited with code {self.popen.returncode} while starting")
            if time.monotonic() > deadline:
                self.fail(f"{what} was not ready after {timeout:.0f} s")
            time.sleep(delay)
            delay = min(delay * 1.5, 0.02)

    def fail(self, message: str) -> None:
        tail = self.log_tail()
        self.stop()
        raise ServerStartError(f"{message}\n--- last lines of {self.log_path} ---\n{tail}")

    def stop(self) -> None:
        if not self.exited():
            self.popen.send_signal(self.stop_signal)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        shutil.rmtree(self.run_dir, ignore_errors=True)
        if self._record is not None:
            janitor.forget(self._record)
            self._record = None
            atexit.unregister(self.stop)


def run_as(
    argv: Sequence[str], account: RunAs | None, cwd: Path, what: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run a setup tool (initdb, mariadb-install-db) as the server's account; errors carry its output."""
    extra: dict[str, Any] = {}
    if account is not None:
        extra = {"user": account.uid, "group": account.gid, "extra_groups": []}
    try:
        result = subprocess.run(
            list(argv),
            cwd=cwd,
            env=clean_environment(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            **extra,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        who = f" as {account.name}" if account else ""
        raise ServerStartError(f"{what} failed: cannot run {argv[0]}{who}: {error}") from None
    if result.returncode != 0:
        output = "\n".join((result.stdout + result.stderr).strip().splitlines()[-20:])
        raise ServerStartError(f"{what} failed (exit {result.returncode}): {' '.join(argv)}\n{output}")
    return result
