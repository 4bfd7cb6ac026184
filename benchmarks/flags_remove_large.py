"""Removing a flag from one very large file: time and peak memory, next to `grep -c` of the key.

    python benchmarks/flags_remove_large.py [--runs 3] [--blocks 1250]

Generates a project whose `app/big.py` has about 110,000 lines and 5,000 checks of the flag
(1,250 blocks of four checks each: an `if`, an inline `if`, a followed variable and an `elif`,
among ordinary code), then times `releasesafe flags remove doomed --value on --write` as a
subprocess and reads its peak resident memory. Targets: <= 5 s wall and <= 300 MB. The rewritten
file must compile and a second run must change nothing (checked, not timed). grep only counts the
key's lines; the ratio says what parsing and rewriting cost on top.
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

RELEASESAFE = [str(Path(sys.executable).with_name("releasesafe"))]

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


def timed(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """(wall s, cpu s, peak RSS in MB) of one run of ``command`` in a fresh child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed with status {status}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--blocks", type=int, default=1250)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="releasesafe-flags-large-"))
    try:
        pristine = work / "pristine"
        lines, checks = write_project(pristine, args.blocks)
        root = work / "run"
        print(f"app/big.py: {lines} lines, {checks} checks of 'doomed'")
        print(f"load average before the runs: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        results = []
        for _ in range(args.runs):
            shutil.rmtree(root, ignore_errors=True)
            shutil.copytree(pristine, root)
            results.append(
                timed([*RELEASESAFE, "flags", "remove", "doomed", "--value", "on", "--write", "."], root)
            )
        wall = statistics.median(result[0] for result in results)
        cpu = statistics.median(result[1] for result in results)
        memory = max(result[2] for result in results)
        grep = statistics.median(
            timed(["grep", "-c", "doomed", "app/big.py"], pristine)[0] for _ in range(args.runs)
        )
        print(
            f"remove: releasesafe {wall:.2f} s wall ({cpu:.2f} s cpu), peak {memory} MB; grep -c {grep:.3f} s; "
            f"ratio {wall / grep:.0f}x; targets <= 5 s and <= 300 MB: "
            f"{'ok' if wall <= 5 and memory <= 300 else 'MISSED'}"
        )
        print(f"load average after the runs: {os.getloadavg()[0]:.2f}")
        big = root / "app" / "big.py"
        compile(big.read_bytes(), str(big), "exec")
        if "doomed" in big.read_text():
            print("the flag is still in the rewritten file")
            return 1
        again = subprocess.run(
            [*RELEASESAFE, "flags", "remove", "doomed", "--value", "on", "."],
            cwd=root,
            capture_output=True,
            text=True,
        )
        if again.stdout:
            print("second removal run changed something:\n" + again.stdout[:2000])
            return 1
        return 0 if wall <= 5 and memory <= 300 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
