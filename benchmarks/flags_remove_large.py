"""Removing a flag from one very large file: wall, CPU and peak memory, against a base checkout.

    python benchmarks/flags_remove_large.py [--runs 3] [--blocks 1250] [--baseline REF]

Generates a project whose `app/big.py` has about 110,000 lines and 5,000 checks of the flag
(1,250 blocks of four checks each: an `if`, an inline `if`, a followed variable and an `elif`,
among ordinary code), then runs `releasesafe flags remove doomed --value on --write` in a fresh
child process and reads its wall time, CPU time (user + sys) and peak resident memory from
wait4(). Targets: <= 5 s wall and <= 300 MB. The rewritten file must compile and a second run
must change nothing (checked, not timed).

With --baseline REF the same runs are made, interleaved, with the package as it was at git REF
(checked out in a temporary worktree and put first on PYTHONPATH), and the two rewritten files
are compared byte for byte: a faster removal must produce the same text. grep -c of the key is
printed as the floor: it only counts the key's lines.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
# The CLI run from a given checkout, through the console script's entry point (as `releasesafe`
# runs): PYTHONPATH decides which copy of the package is imported.
LAUNCH = "import sys; from pytest_releasesafe.cli import run; sys.argv[0] = 'releasesafe'; run()"
REMOVE = ["flags", "remove", "doomed", "--value", "on", "--write", "."]

HEADER = '''\
"""One very large module, as some projects have."""

import dataclasses
import json

from app.flags import is_feature_enabled

'''

BLOCK = """

def _legacy_{n}(cart):
    # The legacy path.
    return sum(cart)


def total_{n}(cart):
    if is_feature_enabled("doomed"):
        # New path.
        return round(sum(cart), 2)
    return _legacy_{n}(cart)


def label_{n}(ctx):
    return "new" if is_feature_enabled("doomed", ctx) else "old"


def flow_{n}(user):
    enabled = is_feature_enabled("doomed")
    if not enabled:
        return None
    elif user.beta and is_feature_enabled("doomed"):
        return "beta"
    return "new"


@dataclasses.dataclass
class Record{n}:
    key: str
    value: int = 0

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    def merge(self, other: "Record{n}") -> "Record{n}":
        if other.key != self.key:
            raise ValueError("different keys")
        return Record{n}(self.key, self.value + other.value)


def load_{n}(text: str) -> list[Record{n}]:
    rows = json.loads(text)
    return [Record{n}(**row) for row in rows if row.get("value", 0) >= 0]


def summarize_{n}(records: list[Record{n}]) -> dict[str, int]:
    totals: dict[str, int] = {{}}
    for record in records:
        totals[record.key] = totals.get(record.key, 0) + record.value
    return totals
"""

# Ordinary code between the checks, as in a real large module: it brings the file to ~110k lines.
PLAIN = '''

class Repository{n}:
    """Stores records in memory."""

    def __init__(self) -> None:
        self._rows: dict[str, Record{n}] = {{}}

    def add(self, record: Record{n}) -> None:
        existing = self._rows.get(record.key)
        self._rows[record.key] = existing.merge(record) if existing else record

    def get(self, key: str) -> Record{n} | None:
        return self._rows.get(key)

    def keys(self) -> list[str]:
        return sorted(self._rows)

    def total(self) -> int:
        return sum(row.value for row in self._rows.values())

    def dump(self) -> str:
        return json.dumps([dataclasses.asdict(row) for row in self._rows.values()])


def report_{n}(repository: Repository{n}) -> str:
    """One line per key, in key order.

    Rows that vanished while reporting are skipped.
    """
    lines = []
    for key in repository.keys():
        row = repository.get(key)
        if row is None:
            continue
        lines.append(f"{{key}}: {{row.value}}")
    return "\\n".join(lines)
'''

PYPROJECT = '[tool.releasesafe.flags]\nchecks = ["app.flags:is_feature_enabled"]\n'


def write_project(root: Path, blocks: int) -> tuple[int, int]:
    """The project; (lines, checks) of its big file."""
    app = root / "app"
    app.mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (app / "__init__.py").write_text("")
    (app / "flags.py").write_text("def is_feature_enabled(name, context=None):\n    return False\n")
    text = HEADER + "".join(BLOCK.format(n=n) + PLAIN.format(n=n) for n in range(blocks))
    (app / "big.py").write_text(text)
    return text.count("\n"), text.count('"doomed"')


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(wall s, cpu s, peak RSS in MB) of one run of ``command`` in a fresh child process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed with status {status}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def _environment(checkout: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(checkout), "PYTHONDONTWRITEBYTECODE": "1"}


def _baseline_checkout(ref: str, into: Path) -> Path:
    checkout = into / "baseline"
    subprocess.run(
        ["git", "-C", str(HERE), "worktree", "add", "--detach", "--quiet", str(checkout), ref], check=True
    )
    return checkout


class Side:
    """One checkout's runs: removal results and the rewritten file of the last run."""

    def __init__(self, name: str, checkout: Path) -> None:
        self.name, self.checkout = name, checkout
        self.results: list[tuple[float, float, int]] = []
        self.output = b""

    def run(self, pristine: Path, work: Path) -> None:
        root = work / f"run-{self.name}"
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(pristine, root)
        command = [sys.executable, "-c", LAUNCH, *REMOVE]
        self.results.append(timed(command, root, _environment(self.checkout)))
        self.output = (root / "app" / "big.py").read_bytes()

    def line(self) -> str:
        wall = statistics.median(result[0] for result in self.results)
        cpu = statistics.median(result[1] for result in self.results)
        memory = max(result[2] for result in self.results)
        runs = ", ".join(f"{result[0]:.1f}/{result[1]:.1f}" for result in self.results)
        return f"{self.name}: {wall:.2f} s wall, {cpu:.2f} s cpu (median; wall/cpu per run: {runs}), peak {memory} MB"

    def figures(self) -> tuple[float, float, int]:
        return (
            statistics.median(result[0] for result in self.results),
            statistics.median(result[1] for result in self.results),
            max(result[2] for result in self.results),
        )


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--blocks", type=int, default=1250)
    parser.add_argument("--baseline", metavar="REF", help="also time the package as of this git ref")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="releasesafe-flags-large-"))
    baseline: Path | None = None
    try:
        pristine = work / "pristine"
        lines, checks = write_project(pristine, args.blocks)
        print(f"app/big.py: {lines} lines, {checks} checks of 'doomed'")
        sides = [Side("this checkout", HERE)]
        if args.baseline:
            baseline = _baseline_checkout(args.baseline, work)
            sides.append(Side(f"baseline {args.baseline}", baseline))
        print(f"load average before the runs: {_load()}")
        for _ in range(args.runs):
            for side in sides:  # interleaved, so both see the same load
                side.run(pristine, work)
        print(f"load average after the runs: {_load()}")
        grep = statistics.median(
            timed(["grep", "-c", "doomed", "app/big.py"], pristine)[0] for _ in range(args.runs)
        )
        for side in sides:
            print(side.line())
        wall, cpu, memory = sides[0].figures()
        met = wall <= 5 and memory <= 300
        print(f"grep -c: {grep:.3f} s; targets <= 5 s wall and <= 300 MB: {'ok' if met else 'MISSED'}")
        if len(sides) == 2:
            base_wall, base_cpu, base_memory = sides[1].figures()
            print(
                f"against the baseline: {base_wall / wall:.1f}x faster wall, {base_cpu / cpu:.1f}x less cpu, "
                f"{base_memory / memory:.1f}x less memory; same output: "
                f"{'yes' if sides[0].output == sides[1].output else 'NO'}"
            )
            if sides[0].output != sides[1].output:
                return 1
        root = work / "run-this checkout"
        big = root / "app" / "big.py"
        compile(big.read_bytes(), str(big), "exec")
        if "doomed" in big.read_text():
            print("the flag is still in the rewritten file")
            return 1
        again = subprocess.run(
            [sys.executable, "-c", LAUNCH, *REMOVE[:-2], "."],
            cwd=root,
            capture_output=True,
            text=True,
            env=_environment(HERE),
        )
        if again.stdout:
            print("second removal run changed something:\n" + again.stdout[:2000])
            return 1
        return 0 if met else 1
    finally:
        if baseline is not None:
            subprocess.run(
                ["git", "-C", str(HERE), "worktree", "remove", "--force", str(baseline)], check=False
            )
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
