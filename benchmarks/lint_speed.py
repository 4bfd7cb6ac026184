"""Linter speed against its peers, side by side in one run.

    python benchmarks/lint_speed.py [--runs 5]

1. 320 generated Postgres SQL migrations: releasesafe cold (no cache) and warm (content-hash cache)
   vs squawk-cli. Targets: cold <= 2.0x squawk, warm <= 1.0x.
2. 620 generated Alembic revisions: releasesafe (every SQL string parsed by sqlglot) vs alembic-guard.
   Target: <= 1.0x.
3. 5 changed migrations, as pre-commit runs it: target <= 0.35 s wall, and libcst never imported.

Peers are installed from PyPI into benchmarks/.work/peers on first use.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import write_alembic_corpus, write_sql_corpus  # noqa: E402

WORK = HERE / ".work"
PEERS = WORK / "peers"
RELEASE = WORK / "release"  # the project installed as users get it: a wheel, not an editable install


def ensure_peers() -> Path:
    binary = PEERS / "bin"
    if not (binary / "squawk").exists() or not (binary / "alembic-guard").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
        subprocess.run([str(binary / "pip"), "install", "-q", "squawk-cli", "alembic-guard"], check=True)
    return binary


def install_release() -> list[str]:
    """Build and install the current tree as a wheel (editable installs add an import hook per module)."""
    if not (RELEASE / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(RELEASE)], check=True)
    pip = [str(RELEASE / "bin" / "pip"), "install", "-q"]
    subprocess.run([*pip, str(HERE.parent)], check=True)
    subprocess.run([*pip, "--force-reinstall", "--no-deps", str(HERE.parent)], check=True)
    return [str(RELEASE / "bin" / "releasesafe")]  # the console script users run


CPU: dict[str, float] = {}


def wall(command: list[str], runs: int, cwd: Path) -> float:
    """Median wall time of a whole command (process start included: that is what users wait for).

    The median CPU time (user + sys, children included) is kept in CPU[command[0]]: on a busy
    machine wall time swings, CPU time much less.
    """
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    CPU["last"] = statistics.median(cpu)
    return statistics.median(times)


def timed(command: list[str], runs: int, cwd: Path) -> tuple[float, float]:
    return wall(command, runs, cwd), CPU["last"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    peers = ensure_peers()
    releasesafe = install_release()
    root = WORK / "lint_corpus"
    shutil.rmtree(root, ignore_errors=True)
    sql_dir = root / "sql"
    sql_files = write_sql_corpus(sql_dir)
    alembic_dir = root / "alembic"
    alembic_files = write_alembic_corpus(alembic_dir)
    (root / "pyproject.toml").write_text("[tool.releasesafe]\n")
    statements = sum(p.read_text().count(";") for p in sql_files)
    print(
        f"corpus: {len(sql_files)} SQL files ({statements} statements), {len(alembic_files)} Alembic revisions"
    )

    def line(
        label: str, peer_name: str, peer: tuple[float, float], ours: tuple[float, float], target: str
    ) -> None:
        print(
            f"{label:<22} {peer_name} {peer[0] * 1000:6.0f} ms wall / {peer[1] * 1000:6.0f} ms cpu | releasesafe "
            f"{ours[0] * 1000:6.0f} ms wall / {ours[1] * 1000:6.0f} ms cpu | ratio {ours[0] / peer[0]:.2f}x wall, "
            f"{ours[1] / peer[1]:.2f}x cpu (target {target})"
        )

    squawk = timed([str(peers / "squawk"), *[str(p) for p in sql_files]], args.runs, root)
    cold = timed([*releasesafe, "lint", "--no-cache", "--exit-zero", "sql"], args.runs, root)
    subprocess.run(
        [*releasesafe, "lint", "--exit-zero", "sql"], cwd=root, stdout=subprocess.DEVNULL, check=False
    )
    warm = timed([*releasesafe, "lint", "--exit-zero", "sql"], args.runs, root)
    line("SQL cold", "squawk", squawk, cold, "<= 2.0x")
    line("SQL warm (cache)", "squawk", squawk, warm, "<= 1.0x")
    guard = timed([str(peers / "alembic-guard"), str(alembic_dir / "versions")], args.runs, root)
    ours = timed([*releasesafe, "lint", "--no-cache", "--exit-zero", "alembic"], args.runs, root)
    line("Alembic cold", "alembic-guard", guard, ours, "<= 1.0x")
    changed = [str(p) for p in alembic_files[-3:] + sql_files[-2:]]
    precommit = wall([*releasesafe, "lint", "--no-cache", "--exit-zero", *changed], args.runs, root)
    probe = subprocess.run(
        [
            str(RELEASE / "bin" / "python"),
            "-c",
            "import sys, runpy; sys.argv = ['releasesafe', 'lint', '--no-cache', '--exit-zero', *sys.argv[1:]]\n"
            "try:\n    runpy.run_module('pytest_releasesafe', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print('libcst' in sys.modules, file=sys.stderr)",
            *changed,
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    print(
        f"{'pre-commit, 5 files':<22} {precommit * 1000:.0f} ms wall / {CPU['last'] * 1000:.0f} ms cpu (target <= 350 ms wall); "
        f"libcst imported: {probe.stderr.strip().splitlines()[-1]}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
