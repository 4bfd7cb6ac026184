"""What the schema catalogue costs: `releasesafe lint` before it (a git ref) and now, in one run.

    python benchmarks/lint_catalogue.py [--base main] [--runs 5] [--files 600]

Both trees run from source with the same interpreter (PYTHONPATH picks the tree), on the same
generated histories: SQL files (plain sorted layout) and an Alembic revision chain. Reported: cold
runs (no cache), warm runs (content-hash cache) and the ratio now / base. Target: cold <= 1.2x.
The machine is shared: the load average is printed with the figures, and CPU time (user + sys,
children included) swings less than wall time.
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
ENTRY = "import sys\nfrom pytest_releasesafe.cli import main\nsys.exit(main())\n"


def export_tree(ref: str) -> Path:
    """The project at `ref`, extracted (not checked out: the working tree is left alone)."""
    target = WORK / f"tree_{ref.replace('/', '_')}"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", ref], cwd=HERE.parent, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def run_once(tree: Path, args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `releasesafe <args>` run from `tree`."""
    # Users run installed code whose bytecode is compiled once: timing compilation (which
    # PYTHONDONTWRITEBYTECODE forces on every run) would charge the tree with more modules for it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(tree)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", ENTRY, *args], cwd=cwd, env=env, stdout=subprocess.DEVNULL, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def compare(trees: dict[str, Path], args: list[str], cwd: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU per tree, the trees' runs interleaved so load swings hit both alike."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    for tree in trees.values():
        run_once(tree, args, cwd)  # untimed: writes each tree's bytecode
    for _ in range(runs):
        for name, tree in trees.items():
            samples[name].append(run_once(tree, args, cwd))
    return {
        name: (statistics.median(w for w, _ in runs_), statistics.median(c for _, c in runs_))
        for name, runs_ in samples.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main", help="git ref of the tree to compare with")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--files", type=int, default=600)
    options = parser.parse_args()
    trees = {"base": export_tree(options.base), "now": HERE.parent}
    root = WORK / "catalogue_corpus"
    shutil.rmtree(root, ignore_errors=True)
    write_sql_corpus(root / "sql", files=options.files)
    write_alembic_corpus(root / "alembic", files=options.files)
    (root / "pyproject.toml").write_text("[tool.releasesafe]\n")
    print(f"{options.files} SQL files and {options.files} Alembic revisions; base = {options.base}")
    for corpus in ("sql", "alembic"):
        for label, extra in (("cold", ["--no-cache"]), ("warm", [])):
            shutil.rmtree(root / ".releasesafe_cache", ignore_errors=True)
            command = ["lint", "--exit-zero", *extra, corpus]
            if label == "warm":
                for tree in trees.values():
                    run_once(tree, command, root)  # fill the cache (both trees' entries coexist)
            results = compare(trees, command, root, options.runs)
            base, now = results["base"], results["now"]
            print(
                f"{corpus:<8} {label}: base {base[0] * 1000:5.0f} ms wall / {base[1] * 1000:5.0f} ms cpu | "
                f"now {now[0] * 1000:5.0f} ms wall / {now[1] * 1000:5.0f} ms cpu | "
                f"ratio {now[0] / base[0]:.2f}x wall, {now[1] / base[1]:.2f}x cpu"
                + (" (target <= 1.2x)" if label == "cold" else "")
            )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
