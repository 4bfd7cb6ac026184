"""What the full rule catalogue costs, side by side in one run.

    python benchmarks/rules_catalogue.py [--runs 5]

On the generated corpora of benchmarks/corpus.py (320 SQL files, 620 Alembic revisions), cold runs
(no cache) of `releasesafe lint` with only the seven foundation rules, then with the whole catalogue,
then squawk on the SQL corpus (installed into benchmarks/.work/peers by lint_speed.py, if present).
Prints the catalogue's overhead ratio and the ratio against squawk. Target: the full catalogue keeps
the foundation's ratios (overhead well under the 2.0x cold budget against squawk).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import write_alembic_corpus, write_sql_corpus  # noqa: E402

WORK = HERE / ".work" / "rules_catalogue"
SQUAWK = HERE / ".work" / "peers" / "bin" / "squawk"
FOUNDATION = "RS101,RS102,RS301,RS501,RS502,RS511,RS512"


def measure(commands: list[list[str]], runs: int) -> list[tuple[float, float]]:
    """Median (wall, cpu) seconds per command, runs interleaved so machine load hits all alike."""
    samples: list[list[tuple[float, float]]] = [[] for _ in commands]
    for _ in range(runs):
        for k, command in enumerate(commands):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            samples[k].append((wall, cpu))
    return [(statistics.median(w for w, _ in s), statistics.median(c for _, c in s)) for s in samples]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sql, alembic = WORK / "sql", WORK / "alembic"
    if not sql.exists():
        write_sql_corpus(sql)
        write_alembic_corpus(alembic)
    lint = [
        sys.executable,
        "-m",
        "pytest_releasesafe",
        "lint",
        "--no-cache",
        "--exit-zero",
        "--format",
        "json",
    ]
    for label, folder in (("SQL", sql), ("Alembic", alembic)):
        commands = [[*lint, "--select", FOUNDATION, str(folder)], [*lint, str(folder)]]
        peer = label == "SQL" and SQUAWK.exists()
        if peer:
            commands.append([str(SQUAWK), *sorted(str(p) for p in folder.glob("*.sql"))])
        results = measure(commands, args.runs)
        (few_wall, few_cpu), (full_wall, full_cpu) = results[0], results[1]
        print(
            f"{label:8} foundation rules {few_wall * 1000:6.0f} ms wall / {few_cpu * 1000:6.0f} ms cpu"
            f" | full catalogue {full_wall * 1000:6.0f} ms wall / {full_cpu * 1000:6.0f} ms cpu"
            f" | overhead {full_wall / few_wall:.2f}x wall, {full_cpu / few_cpu:.2f}x cpu"
        )
        if peer:
            peer_wall, peer_cpu = results[2]
            print(
                f"{'':8} squawk {peer_wall * 1000:6.0f} ms wall / {peer_cpu * 1000:6.0f} ms cpu"
                f" | full catalogue vs squawk {full_wall / peer_wall:.2f}x wall, {full_cpu / peer_cpu:.2f}x cpu"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
