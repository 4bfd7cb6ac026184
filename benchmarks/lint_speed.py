"""Linter speed and memory against its peers, side by side in one run.

    python benchmarks/lint_speed.py [--runs 7]

Corpora (all generated, seeded): a Diesel-style history shaped like a real one (up.sql/down.sql
folders, long PL/pgSQL trigger functions, views, seed data; ~340 files, ~600 KB, see
realistic_corpus.py), the short generated SQL files of corpus.py, an Alembic history shaped like real
revisions (640 files) and the generated Alembic corpus.

1. SQL vs squawk-cli, cold (--no-cache) and warm (cache filled): targets cold <= 2.0x, warm <= 1.0x.
2. Alembic vs alembic-guard (cold): target <= 0.5x.
3. Five changed migrations, as pre-commit runs it: target <= 0.3 s wall, and libcst never imported.
4. Peak RSS of the largest process on 1,000 SQL files: target <= 200 MB.

Each measurement alternates peer and releasesafe run by run (so a burst of load on the shared
machine hits both), reports the median wall time and the median CPU time (user + sys, forked
workers included), and the load average. The project is installed from a wheel into
benchmarks/.work/release and run through its console script, as users run it; peers are installed
from PyPI into benchmarks/.work/peers on first use.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import write_alembic_corpus, write_sql_corpus  # noqa: E402
from realistic_corpus import write_alembic_history, write_diesel_corpus  # noqa: E402

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


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + sys seconds, the process and the children it waited for
    peak_mb: float  # largest resident set of the process or any child it waited for


def run_once(command: list[str], cwd: Path) -> Run:
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = 0  # reaped by wait4 above
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def median(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        max(r.peak_mb for r in runs),
    )


def side_by_side(
    commands: list[list[str]], runs: int, cwd: Path, before: list[str] | None = None
) -> list[Run]:
    """Median of `runs` runs of each command, interleaved run by run; `before` runs ahead of each."""
    results: list[list[Run]] = [[] for _ in commands]
    for _ in range(runs):
        for k, command in enumerate(commands):
            if before:
                run_once(before, cwd)
            results[k].append(run_once(command, cwd))
    return [median(r) for r in results]


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} on {os.cpu_count()} cores"


def ratio_line(label: str, peer_name: str, peer: Run, ours: Run, target: str) -> str:
    return (
        f"{label:<26} {peer_name:<13} {peer.wall * 1000:6.0f} ms wall {peer.cpu * 1000:6.0f} ms cpu | "
        f"releasesafe {ours.wall * 1000:6.0f} ms wall {ours.cpu * 1000:6.0f} ms cpu | "
        f"{ours.wall / peer.wall:5.2f}x wall {ours.cpu / peer.cpu:5.2f}x cpu (target {target}) | {load()}"
    )


def sql_files(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*.sql"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    peers = ensure_peers()
    releasesafe = install_release()
    root = WORK / "lint_corpus"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text("[tool.releasesafe]\n")
    corpora = {
        "realistic SQL (Diesel)": write_diesel_corpus(root / "diesel"),
        "generated SQL": write_sql_corpus(root / "generated_sql"),
    }
    alembic = {
        "realistic Alembic": write_alembic_history(root / "alembic"),
        "generated Alembic": write_alembic_corpus(root / "generated_alembic"),
    }
    for label, files in {**corpora, **alembic}.items():
        size = sum(p.stat().st_size for p in files)
        print(f"corpus {label}: {len(files)} files, {size / 1024:.0f} KB")
    cache = root / ".releasesafe_cache"
    clear_cache = [sys.executable, "-c", f"import shutil; shutil.rmtree({str(cache)!r}, ignore_errors=True)"]

    for label, files in corpora.items():
        folder = str(files[0].parent.parent if files[0].name in ("up.sql", "down.sql") else files[0].parent)
        squawk = [str(peers / "squawk"), *sql_files(Path(folder))]
        cold_cmd = [*releasesafe, "lint", "--no-cache", "--exit-zero", folder]
        warm_cmd = [*releasesafe, "lint", "--exit-zero", folder]
        peer, cold = side_by_side([squawk, cold_cmd], args.runs, root)
        print(ratio_line(f"{label} cold", "squawk", peer, cold, "<= 2.0x"))
        run_once(clear_cache, root)
        run_once(warm_cmd, root)  # fill the cache
        peer, warm = side_by_side([squawk, warm_cmd], args.runs, root)
        print(ratio_line(f"{label} warm", "squawk", peer, warm, "<= 1.0x"))

    for label, files in alembic.items():
        versions = str(files[0].parent)
        guard = [str(peers / "alembic-guard"), versions]
        ours_cmd = [*releasesafe, "lint", "--no-cache", "--exit-zero", versions]
        peer, ours = side_by_side([guard, ours_cmd], args.runs, root)
        print(ratio_line(f"{label} cold", "alembic-guard", peer, ours, "<= 0.5x"))

    diesel = corpora["realistic SQL (Diesel)"]
    changed = [str(p) for p in alembic["realistic Alembic"][-3:] + diesel[-2:]]
    (precommit,) = side_by_side(
        [[*releasesafe, "lint", "--no-cache", "--exit-zero", *changed]], args.runs, root
    )
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
        f"{'pre-commit, 5 files':<26} {precommit.wall * 1000:.0f} ms wall {precommit.cpu * 1000:.0f} ms cpu "
        f"(target <= 300 ms wall); libcst imported: {probe.stderr.strip().splitlines()[-1]} | {load()}"
    )

    big = write_diesel_corpus(root / "memory", migrations=500, seed=13)
    size = sum(p.stat().st_size for p in big)
    (memory,) = side_by_side(
        [[*releasesafe, "lint", "--no-cache", "--exit-zero", str(root / "memory")]],
        max(1, args.runs // 3),
        root,
    )
    print(
        f"{'memory, ' + str(len(big)) + ' files':<26} peak RSS {memory.peak_mb:.0f} MB of the largest process "
        f"({size / 1024:.0f} KB of SQL; target <= 200 MB), {memory.wall * 1000:.0f} ms wall | {load()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
