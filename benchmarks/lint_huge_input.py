"""Wall time and peak memory of `releasesafe lint` on huge input.

    python benchmarks/lint_huge_input.py [--mb 50] [--files 20000]

1. One generated, realistic SQL file of `--mb` MB (a pg_dump-like mix: CREATE TABLE, multi-row and
   single-row INSERTs, UPDATEs, CREATE INDEX, ALTER TABLE ... ADD CONSTRAINT, functions with
   dollar-quoted bodies, comments). Targets: well under 60 s and under 1 GB peak RSS.
2. `--files` small migration files in one folder. Targets: well under 20 s and under 276 MB.

Each run is a fresh `releasesafe lint --no-cache --format json -o report.json` process; peak RSS is
the largest resident size of it and its forked workers (RUSAGE_CHILDREN ru_maxrss of each process).
Record the load average with the figures: the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
RELEASESAFE = [sys.executable, "-m", "pytest_releasesafe"]


def realistic_statements(rng: random.Random) -> str:
    """One block of a dump-like migration (about 6 KB)."""
    table = f"t{rng.randrange(500)}"
    rows = ",\n".join(
        f"    ({rng.randrange(10**9)}, 'user{rng.randrange(10**6)}@example.com', 'note with ; and '' quote', now())"
        for _ in range(rng.randrange(20, 60))
    )
    existing = f"CREATE INDEX ix_users_{rng.randrange(10**6)} ON users (email);\n"  # a finding now and then
    return (
        f"-- block for {table}\n"
        f"CREATE TABLE IF NOT EXISTS {table} (id bigint PRIMARY KEY, email text NOT NULL, note text, at timestamptz);\n"
        f"INSERT INTO {table} (id, email, note, at) VALUES\n{rows};\n"
        f"INSERT INTO {table} (id, email) VALUES ({rng.randrange(10**9)}, 'single@example.com');\n"
        f"UPDATE {table} SET note = 'x' WHERE id = {rng.randrange(10**6)};\n"
        f"CREATE INDEX ix_{table}_{rng.randrange(10**6)} ON {table} (email);\n"
        f"ALTER TABLE {table} ADD CONSTRAINT ck_{table}_{rng.randrange(10**6)} CHECK (id > 0);\n"
        f"CREATE OR REPLACE FUNCTION f_{table}() RETURNS trigger AS $$\n"
        "BEGIN\n  NEW.at := now(); -- a ; inside the body\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\n"
        "/* a block comment; with a semicolon */\n"
    ) + (existing if rng.random() < 0.01 else "")


def write_huge_file(path: Path, megabytes: int) -> None:
    rng = random.Random(12)
    target = megabytes * 1024 * 1024
    written = 0
    with path.open("w", encoding="utf-8") as stream:
        stream.write("SET lock_timeout = '5s';\n")
        while True:
            block = realistic_statements(rng)
            if written + len(block) > target:  # stay within the linter's 50 MB file limit
                break
            stream.write(block)
            written += len(block)


def write_many_files(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        body = (
            f"ALTER TABLE t{i % 300} ADD COLUMN c{i} integer;\n"
            if i % 7
            else f"CREATE INDEX ix_{i} ON t{i % 300} (c);\nUPDATE t{i % 300} SET c = 1;\n"
        )
        (folder / f"{i:06}_change.sql").write_text(body)


def measure(paths: list[str], cwd: Path) -> tuple[float, float, int, int, float]:
    """(wall seconds, peak RSS in MB of the run and its workers, exit code, findings, CPU seconds).

    CPU time (user + sys, workers included) swings far less than wall time on a shared machine."""
    report = cwd / "report.json"
    probe = (
        "import resource, subprocess, sys, time\n"
        "start = time.monotonic()\n"
        "code = subprocess.run(sys.argv[1:]).returncode\n"
        "wall = time.monotonic() - start\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(wall, usage.ru_maxrss, code, usage.ru_utime + usage.ru_stime)\n"
    )
    command = [*RELEASESAFE, "lint", "--no-cache", "--format", "json", "-o", str(report), *paths]
    done = subprocess.run(
        [sys.executable, "-c", probe, *command], cwd=cwd, capture_output=True, text=True, check=True
    )
    wall, peak_kb, code, cpu = done.stdout.split()
    findings = len(json.loads(report.read_text()))
    return float(wall), int(peak_kb) / 1024, int(code), findings, float(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--files", type=int, default=20_000)
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        (root / "pyproject.toml").write_text("[tool.releasesafe]\n")
        huge = root / "huge.sql"
        write_huge_file(huge, args.mb)
        size = huge.stat().st_size / (1024 * 1024)
        wall, peak, code, findings, cpu = measure([str(huge)], root)
        print(
            f"one {size:.1f} MB SQL file: {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS {peak:.0f} MB, exit {code}, {findings} findings"
            f"  (targets: < 60 s, < 1024 MB)"
        )
        huge.unlink()
        many = root / "many"
        write_many_files(many, args.files)
        wall, peak, code, findings, cpu = measure([str(many)], root)
        print(
            f"{args.files} files: {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS {peak:.0f} MB, exit {code}, {findings} findings"
            f"  (targets: < 20 s, < 276 MB)"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    del resource  # measured in the probe process, so only the lint run and its workers count
    main()
