"""Linter speed and memory against its peers, side by side in one run.

    python benchmarks/lint_speed.py [--runs 7]

Corpora (all generated, seeded): a Diesel-style history shaped like a real one (up.sql/down.sql
folders, long PL/pgSQL trigger functions, views, seed data; ~340 files, ~600 KB, see
realistic_corpus.py), the short generated SQL files of corpus.py, an Alembic history shaped like real
revisions (640 files) and the generated Alembic corpus.

    python benchmarks/lint_speed.py --baseline REF   # and the build of git ref REF, side by side

1. SQL vs squawk-cli, cold (--no-cache) and warm (cache filled): targets cold <= 2.0x, warm <= 1.0x.
2. Alembic vs alembic-guard (cold): target <= 0.5x.
3. Five changed migrations, as pre-commit runs them on every commit (cache on, filled by an earlier
   run): target <= 0.3 s wall, and libcst never imported. The first run on a fresh clone, with no
   cache yet, parses both histories once and is reported beside them.
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
from collections.abc import Callable
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


def install_baseline(ref: str) -> list[str]:
    """The project as it was at git ref `ref`, installed the same way: the "before" column."""
    source, venv = WORK / "baseline_src", WORK / "baseline"
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", ref], cwd=HERE.parent, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive.stdout, check=True)
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "pip"), "install", "-q"]
    subprocess.run([*pip, str(source)], check=True)
    subprocess.run([*pip, "--force-reinstall", "--no-deps", str(source)], check=True)
    return [str(venv / "bin" / "releasesafe")]


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
    commands: list[tuple[list[str], Path]], runs: int, before_each: Callable[[Path], None] | None = None
) -> list[Run]:
    """Median of `runs` runs of each (command, working folder), interleaved run by run;
    `before_each(folder)` runs before every run, untimed."""
    results: list[list[Run]] = [[] for _ in commands]
    for _ in range(runs):
        for k, (command, cwd) in enumerate(commands):
            if before_each is not None:
                before_each(cwd)
            results[k].append(run_once(command, cwd))
    return [median(r) for r in results]


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} on {os.cpu_count()} cores"


def ratio_line(label: str, peer_name: str, peer: Run, build: str, ours: Run, target: str) -> str:
    return (
        f"{label:<26} {peer_name:<13} {peer.wall * 1000:6.0f} ms wall {peer.cpu * 1000:6.0f} ms cpu | "
        f"{build:<18} {ours.wall * 1000:6.0f} ms wall {ours.cpu * 1000:6.0f} ms cpu | "
        f"{ours.wall / peer.wall:5.2f}x wall {ours.cpu / peer.cpu:5.2f}x cpu (target {target}) | {load()}"
    )


def sql_files(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*.sql"))


def write_corpora(root: Path) -> tuple[dict[str, list[Path]], dict[str, list[Path]]]:
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text("[tool.releasesafe]\n")
    sql = {
        "realistic SQL (Diesel)": write_diesel_corpus(root / "diesel"),
        "generated SQL": write_sql_corpus(root / "generated_sql"),
    }
    alembic = {
        "realistic Alembic": write_alembic_history(root / "alembic"),
        "generated Alembic": write_alembic_corpus(root / "generated_alembic"),
    }
    return sql, alembic


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--baseline", metavar="REF", help="also run the build of this git ref, side by side (before/after)"
    )
    parser.add_argument("--pre-commit-only", action="store_true", help="only the pre-commit scenarios")
    args = parser.parse_args()
    peers = PEERS / "bin" if args.pre_commit_only else ensure_peers()
    # Each build lints its own copy of the corpora, so each has its own cache folder.
    builds: dict[str, tuple[list[str], Path]] = {"releasesafe": (install_release(), WORK / "lint_corpus")}
    if args.baseline:
        builds[f"before {args.baseline[:10]}"] = (
            install_baseline(args.baseline),
            WORK / "lint_corpus_before",
        )
    corpora: dict[str, tuple[dict[str, list[Path]], dict[str, list[Path]]]] = {
        name: write_corpora(root) for name, (_, root) in builds.items()
    }
    sql, alembic = corpora["releasesafe"]
    root = builds["releasesafe"][1]
    for label, files in {**sql, **alembic}.items():
        size = sum(p.stat().st_size for p in files)
        print(f"corpus {label}: {len(files)} files, {size / 1024:.0f} KB")

    def relative(path: Path, name: str) -> str:
        return str(builds[name][1] / path.relative_to(root))

    for label, files in {} if args.pre_commit_only else sql.items():
        folder = files[0].parent.parent if files[0].name in ("up.sql", "down.sql") else files[0].parent
        squawk = ([str(peers / "squawk"), *sql_files(folder)], root)
        for mode, flags, target in (("cold", ["--no-cache"], "<= 2.0x"), ("warm", [], "<= 1.0x")):
            commands = [
                ([*command, "lint", *flags, "--exit-zero", relative(folder, name)], cwd)
                for name, (command, cwd) in builds.items()
            ]
            for _, cwd in builds.values():
                shutil.rmtree(cwd / ".releasesafe_cache", ignore_errors=True)
            if mode == "warm":
                for command, cwd in commands:
                    run_once(command, cwd)  # fill the cache
            peer, *ours = side_by_side([squawk, *commands], args.runs)
            for name, result in zip(builds, ours, strict=True):
                print(ratio_line(f"{label} {mode}", "squawk", peer, name, result, target))

    for label, files in {} if args.pre_commit_only else alembic.items():
        versions = files[0].parent
        guard = ([str(peers / "alembic-guard"), str(versions)], root)
        commands = [
            ([*command, "lint", "--no-cache", "--exit-zero", relative(versions, name)], cwd)
            for name, (command, cwd) in builds.items()
        ]
        peer, *ours = side_by_side([guard, *commands], args.runs)
        for name, result in zip(builds, ours, strict=True):
            print(ratio_line(f"{label} cold", "alembic-guard", peer, name, result, "<= 0.5x"))

    changed = alembic["realistic Alembic"][-3:] + sql["realistic SQL (Diesel)"][-2:]
    # An Alembic-only change without SQL strings: the SQL parser need not even be imported.
    no_sql = [p for p in alembic["realistic Alembic"] if "op.execute" not in p.read_text()][-5:]
    # First run on a fresh clone (no cache yet): every file of the two histories is parsed once.
    for label, files in (
        ("pre-commit, 5 files, first run", changed),
        ("pre-commit, 5 op.* revs, first run", no_sql),
    ):
        results = side_by_side(
            [
                ([*command, "lint", "--no-cache", "--exit-zero", *(relative(p, name) for p in files)], cwd)
                for name, (command, cwd) in builds.items()
            ],
            args.runs,
        )
        for name, result in zip(builds, results, strict=True):
            print(
                f"{label:<40} {name:<18} {result.wall * 1000:.0f} ms wall {result.cpu * 1000:.0f} ms cpu "
                f"(once per clone; the hook's runs after it are the warm ones) | {load()}"
            )
    pre_commit_warm(builds, root, {"5 files": changed, "5 op.* revs": no_sql}, args.runs)
    probe = subprocess.run(
        [
            str(RELEASE / "bin" / "python"),
            "-c",
            "import sys; sys.argv = ['releasesafe', 'lint', '--no-cache', '--exit-zero', *sys.argv[1:]]\n"
            "from pytest_releasesafe.cli import main  # not the console script: it ends the process itself\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('libcst' in sys.modules, file=sys.stderr)",
            *map(str, changed),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    print(f"libcst imported on the pre-commit path: {probe.stderr.strip().splitlines()[-1]}")

    if args.pre_commit_only:
        return 0
    memory_runs = []
    for command, cwd in builds.values():
        big = write_diesel_corpus(cwd / "memory", migrations=500, seed=13)
        memory_runs.append(([*command, "lint", "--no-cache", "--exit-zero", str(cwd / "memory")], cwd))
    size = sum(p.stat().st_size for p in big)
    for name, result in zip(builds, side_by_side(memory_runs, max(1, args.runs // 3)), strict=True):
        print(
            f"{'memory, ' + str(len(big)) + ' files':<26} {name:<18} peak RSS {result.peak_mb:.0f} MB of the "
            f"largest process ({size / 1024:.0f} KB of SQL; target <= 200 MB), {result.wall * 1000:.0f} ms wall | {load()}"
        )
    return 0


def pre_commit_warm(
    builds: dict[str, tuple[list[str], Path]], root: Path, scenarios: dict[str, list[Path]], runs: int
) -> None:
    """The hook as it runs on every commit: five files of long histories, the cache filled by a lint
    of the folders (as the first run on a clone leaves it). Each set of files unchanged (findings
    cached), and edited (staged changes: re-judged against the history before them)."""
    changed = [p for files in scenarios.values() for p in files]
    folders = sorted(
        {str(p.parent.parent if p.name in ("up.sql", "down.sql") else p.parent) for p in changed}
    )

    def cwd_of(path: str, name: str) -> str:
        return str(builds[name][1] / Path(path).relative_to(root))

    snapshots: dict[Path, Path] = {}
    for name, (command, cwd) in builds.items():
        shutil.rmtree(cwd / ".releasesafe_cache", ignore_errors=True)
        run_once([*command, "lint", "--exit-zero", *(cwd_of(f, name) for f in folders)], cwd)
        snapshots[cwd] = cwd.parent / f"{cwd.name}_warm_cache"
        shutil.rmtree(snapshots[cwd], ignore_errors=True)
        shutil.copytree(cwd / ".releasesafe_cache", snapshots[cwd])

    def restore(cwd: Path) -> None:
        shutil.rmtree(cwd / ".releasesafe_cache", ignore_errors=True)
        shutil.copytree(snapshots[cwd], cwd / ".releasesafe_cache")

    originals = {
        cwd / p.relative_to(root): (cwd / p.relative_to(root)).read_text()
        for _, cwd in builds.values()
        for p in changed
    }
    for what, files in scenarios.items():
        commands = [
            ([*command, "lint", "--exit-zero", *(cwd_of(str(p), name) for p in files)], cwd)
            for name, (command, cwd) in builds.items()
        ]
        for state in ("warm", "edited, warm"):
            if state.startswith("edited"):
                for copy in (cwd / p.relative_to(root) for _, cwd in builds.values() for p in files):
                    marker = "\n# edited\n" if copy.suffix == ".py" else "\n-- edited\n"
                    copy.write_text(originals[copy] + marker)
            label = f"pre-commit, {what}, {state}"
            for name, result in zip(builds, side_by_side(commands, runs, before_each=restore), strict=True):
                print(
                    f"{label:<40} {name:<18} {result.wall * 1000:.0f} ms wall {result.cpu * 1000:.0f} ms cpu "
                    f"(target <= 300 ms wall) | {load()}"
                )
        for copy, text in originals.items():  # the next set starts from the histories as cached
            copy.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
