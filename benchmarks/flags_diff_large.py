"""The diff `releasesafe flags remove` prints without --write, on the 110k-line file, against difflib.

    python benchmarks/flags_diff_large.py [--blocks 1250]

Builds the project of flags_remove_large.py, removes the flag with --write to get the new text, then
times `pytest_releasesafe.text_diff.unified_diff` and `difflib.unified_diff` on the same two texts,
checks that both diffs have the same changed lines, and prints the ratio and the load average.
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from flags_remove_large import LAUNCH, REMOVE, _load, write_project  # noqa: E402

from pytest_releasesafe.text_diff import unified_diff  # noqa: E402


def _changed(diff: list[str]) -> list[str]:
    return sorted(line for line in diff[2:] if line[:1] in "+-")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=1250)
    args = parser.parse_args()
    project = Path(tempfile.mkdtemp(prefix="releasesafe-flags-diff-")) / "project"
    lines, checks = write_project(project, args.blocks)
    big = project / "app" / "big.py"
    before = big.read_text(encoding="utf-8").splitlines(keepends=True)
    subprocess.run([sys.executable, "-c", LAUNCH, *REMOVE], cwd=project, check=True, capture_output=True)
    after = big.read_text(encoding="utf-8").splitlines(keepends=True)
    print(f"app/big.py: {lines} lines, {checks} checks removed; load average {_load()}")
    started = time.perf_counter()
    ours = list(unified_diff(before, after, "a/app/big.py", "b/app/big.py"))
    ours_seconds = time.perf_counter() - started
    started = time.perf_counter()
    theirs = list(difflib.unified_diff(before, after, fromfile="a/app/big.py", tofile="b/app/big.py"))
    theirs_seconds = time.perf_counter() - started
    same = _changed(ours) == _changed(theirs)
    print(
        f"text_diff: {ours_seconds:.2f} s ({len(ours)} lines); difflib: {theirs_seconds:.2f} s ({len(theirs)} lines)"
    )
    print(f"difflib / text_diff: {theirs_seconds / ours_seconds:.0f}x; same changed lines: {same}")
    print(f"load average after: {_load()}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
