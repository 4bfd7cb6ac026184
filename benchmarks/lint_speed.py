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
RELEASESAFE = [sys.executable, "-m", "pytest_releasesafe"]


def ensure_peers() -> Path:
    binary = PEERS / "bin"
    if not (binary / "squawk").exists() or not (binary / "alembic-guard").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
        subprocess.run([str(binary / "pip"), "install", "-q", "squawk-cli", "alembic-guard"], check=True)
    return binary


def wall(command: list[str], runs: int, cwd: Path) -> float:
    """Median wall time of a whole command (process start included: that is what users wait for)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    peers = ensure_peers()
    root = WORK / "lint_corpus"
    shutil.rmtree(root, ignore_errors=True)
    sql_dir = root / "sql"
    sql_files = write_sql_corpus(sql_dir)
    alembic_dir = root / "alembic"
    alembic_files = write_alembic_corpus(alembic_dir)
    (root / "pyproject.toml").write_text("[tool.releasesafe]\n")
    statements = sum(p.read_text().count(";") for p in sql_files)
    print(f"corpus: {len(sql_files)} SQL files ({statements} statements), {len(alembic_files)} Alembic revisions")

    squawk = wall([str(peers / "squawk"), *[str(p) for p in sql_files]], args.runs, root)
    cold = wall([*RELEASESAFE, "lint", "--no-cache", "--exit-zero", "sql"], args.runs, root)
    subprocess.run([*RELEASESAFE, "lint", "--exit-zero", "sql"], cwd=root, stdout=subprocess.DEVNULL, check=False)
    warm = wall([*RELEASESAFE, "lint", "--exit-zero", "sql"], args.runs, root)
    print(f"SQL   squawk {squawk * 1000:7.0f} ms | releasesafe cold {cold * 1000:7.0f} ms ({cold / squawk:.2f}x, target <= 2.0x)"
          f" | warm {warm * 1000:7.0f} ms ({warm / squawk:.2f}x, target <= 1.0x)")

    guard = wall([str(peers / "alembic-guard"), str(alembic_dir / "versions")], args.runs, root)
    ours = wall([*RELEASESAFE, "lint", "--no-cache", "--exit-zero", "alembic"], args.runs, root)
    print(f"ALEMBIC alembic-guard {guard * 1000:7.0f} ms | releasesafe cold {ours * 1000:7.0f} ms ({ours / guard:.2f}x, target <= 1.0x)")

    changed = [str(p) for p in alembic_files[-3:] + sql_files[-2:]]
    precommit = wall([*RELEASESAFE, "lint", "--no-cache", "--exit-zero", *changed], args.runs, root)
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, runpy; sys.argv = ['releasesafe', 'lint', '--no-cache', '--exit-zero', *sys.argv[1:]]\n"
         "try:\n    runpy.run_module('pytest_releasesafe', run_name='__main__')\nexcept SystemExit:\n    pass\n"
         "print('libcst' in sys.modules, file=sys.stderr)", *changed],
        cwd=root, capture_output=True, text=True, check=False,
    )
    print(f"PRE-COMMIT 5 files: {precommit * 1000:.0f} ms (target <= 350 ms); libcst imported: {probe.stderr.strip().splitlines()[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
