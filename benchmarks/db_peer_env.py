"""Shared set-up for the database benchmarks: a peer venv with pytest-postgresql, run as a normal user.

pytest-postgresql refuses to run PostgreSQL as root (PostgreSQL itself does), so both sides run
as an unprivileged user: `nobody` when we are root, else ourselves. The venv is made with the
system Python (a pyenv Python under /root is not reachable for `nobody`) in benchmarks/.work/db.
Our package is put on PYTHONPATH (its metadata in the checkout registers the pytest plugin);
the peer's runs disable it with -p no:releasesafe.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / ".work" / "db"
VENV = WORK / "venv"
PEER_PACKAGES = [
    "pytest-postgresql",
    "SQLAlchemy>=2",
    "psycopg[binary]>=3.1",
    "PyMySQL",
    "alembic",
    "PyYAML",
    "click",
]
BENCH_USER = "nobody"

TIMER_PLUGIN = textwrap.dedent(
    """
    import json, os

    TIMINGS = []

    def pytest_runtest_logreport(report):
        TIMINGS.append({"test": report.nodeid, "when": report.when, "seconds": report.duration,
                        "outcome": report.outcome})

    def pytest_sessionfinish(session):
        with open(os.environ["BENCH_TIMINGS"], "w") as handle:
            json.dump(TIMINGS, handle)
    """
)


def system_python() -> str:
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    sys.exit("no system python3 to build the peer venv with")


def ensure_venv() -> Path:
    python = VENV / "bin" / "python"
    marker = VENV / ".releasesafe-db-bench"
    wanted = "\n".join(PEER_PACKAGES) + "\n"
    if not marker.exists() or marker.read_text() != wanted:
        WORK.mkdir(parents=True, exist_ok=True)
        print(f"setting up {VENV} with {', '.join(PEER_PACKAGES)} ...", flush=True)
        subprocess.run([system_python(), "-m", "venv", "--clear", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
        marker.write_text(wanted)
    return python


def user_home() -> Path:
    """A home for the benchmark user: its cache (warm across runs) and temp directory."""
    home = WORK / f"home-{BENCH_USER if os.geteuid() == 0 else os.getuid()}"
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        account = pwd.getpwnam(BENCH_USER)
        for path in (home, *home.rglob("*")):
            os.chown(path, account.pw_uid, account.pw_gid, follow_symlinks=False)
    return home


def write_project(name: str, files: dict[str, str]) -> Path:
    project = WORK / name
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    (project / "bench_timer.py").write_text(TIMER_PLUGIN)
    (project / "pytest.ini").write_text("[pytest]\n")
    for filename, text in files.items():
        (project / filename).write_text(textwrap.dedent(text))
    return project


def run_pytest(project: Path, *args: str, env: dict[str, str] | None = None) -> tuple[list[dict], float]:
    """Run pytest in `project` as the benchmark user; returns the per-phase timings and wall time."""
    import time

    home = user_home()
    timings = home / "timings.json"
    timings.unlink(missing_ok=True)
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TMPDIR": str(home / "tmp"),
        "RELEASESAFE_CACHE_DIR": str(home / "cache"),
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "BENCH_TIMINGS": str(timings),
        **(env or {}),
    }
    command = [
        str(VENV / "bin" / "python"),
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "bench_timer",
    ]
    command += list(args)
    if os.geteuid() == 0:
        command = ["runuser", "-u", BENCH_USER, "--", *command]
    environment["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(project)])
    started = time.perf_counter()
    result = subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"pytest failed in {project}:\n{result.stdout[-3000:]}\n{result.stderr[:2000]}")
    return json.loads(timings.read_text()), wall


def postgres_bindir() -> Path:
    sys.path.insert(0, str(ROOT))
    from pytest_releasesafe.db.postgres_local import local_binaries

    found = local_binaries()
    if not found:
        sys.exit("no local PostgreSQL binaries: install postgresql to run this benchmark")
    return found[0].bindir
