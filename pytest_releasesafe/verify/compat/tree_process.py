"""Talk to a worker subprocess that runs one source tree's code (see worker.py)."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

from pytest_releasesafe.verify.compat.errors import CompatError

# Generous: a migration step may rewrite a table; a hung worker must still end the run.
_REQUEST_TIMEOUT_S = 600.0
_LOG_TAIL_CHARS = 2000


class WorkerFailed(CompatError):
    """The tree's own code raised: the message carries its error and a short traceback."""

    def __init__(self, what: str, error: str, traceback: str) -> None:
        message = f"{what} failed: {error}"
        super().__init__(f"{message}\n{_indent(traceback)}" if traceback else message)
        self.error = error
        self.traceback = traceback


class TreeProcess:
    """A worker whose import path is `root` (plus `root/src` when it exists) and nothing else."""

    def __init__(self, root: Path, label: str) -> None:
        self.root = root
        self.label = label
        self._log = tempfile.TemporaryFile(mode="w+", encoding="utf-8", prefix="releasesafe-compat-")
        paths = [str(root)] + ([str(root / "src")] if (root / "src").is_dir() else [])
        env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONSAFEPATH")}
        env["PYTHONPATH"] = os.pathsep.join(paths)
        env["PYTHONDONTWRITEBYTECODE"] = "1"  # leave no __pycache__ in the user's tree
        self._process = subprocess.Popen(
            [sys.executable, "-m", "pytest_releasesafe.verify.compat.worker"],
            cwd=root,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            encoding="utf-8",
        )

    def __enter__(self) -> TreeProcess:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def request(self, what: str, cmd: str, **args: Any) -> Any:
        process = self._process
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(json.dumps({"cmd": cmd, "args": args}) + "\n")
            process.stdin.flush()
            ready, _, _ = select.select([process.stdout], [], [], _REQUEST_TIMEOUT_S)
            if not ready:
                process.kill()
                raise WorkerFailed(what, f"no answer within {_REQUEST_TIMEOUT_S:.0f} s", self.log_tail())
            line = process.stdout.readline()
        except (BrokenPipeError, OSError):
            line = ""
        if not line:
            raise WorkerFailed(what, f"the {self.label} worker exited", self.log_tail())
        answer = json.loads(line)
        if not answer["ok"]:
            raise WorkerFailed(what, answer["error"], answer.get("traceback", ""))
        return answer["result"]

    def log_tail(self) -> str:
        self._log.flush()
        self._log.seek(0)
        return self._log.read()[-_LOG_TAIL_CHARS:]

    def close(self) -> None:
        process = self._process
        if process.poll() is None:
            try:
                assert process.stdin is not None
                process.stdin.close()
                process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()
        self._log.close()


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())
