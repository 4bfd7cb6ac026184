"""Benchmark: first PostgreSQL server ready, ours (warm cache) vs pytest-postgresql's postgresql_proc.

Side by side in one run, each a real pytest session as an unprivileged user with one test that
requests the server fixture; the time is that test's setup (the fixture starting the server).
Rounds alternate between the two. Ours is shown twice: with its default run directory
(/dev/shm when roomy) and with the data on disk in TMPDIR like the peer's.
Target: ours <= 0.6 s and >= 2x faster than postgresql_proc.

    .venv/bin/python benchmarks/db_server_start.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics

from db_peer_env import ensure_venv, postgres_bindir, run_pytest, user_home, write_project

TARGET_SECONDS = 0.6
TARGET_RATIO = 2.0


def setup_seconds(timings: list[dict]) -> float:
    return next(entry["seconds"] for entry in timings if entry["when"] == "setup")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    ensure_venv()
    bindir = postgres_bindir()
    ours = write_project("start_ours", {"test_ready.py": "def test_ready(releasesafe_server):\n    pass\n"})
    peer = write_project("start_peer", {"test_ready.py": "def test_ready(postgresql_proc):\n    pass\n"})
    our_args = ("--releasesafe-database=postgresql",)
    peer_args = ("-p", "no:releasesafe", f"--postgresql-exec={bindir / 'pg_ctl'}")
    disk = {"RELEASESAFE_RUN_DIR": str(user_home() / "tmp")}
    run_pytest(ours, *our_args)  # warm the cache: the target is for a warm cache
    results: dict[str, list[float]] = {"ours": [], "ours (data on disk)": [], "pytest-postgresql": []}
    walls: dict[str, list[float]] = {name: [] for name in results}
    for _ in range(rounds):
        for name, project, args, env in (
            ("ours", ours, our_args, None),
            ("ours (data on disk)", ours, our_args, disk),
            ("pytest-postgresql", peer, peer_args, None),
        ):
            timings, wall = run_pytest(project, *args, env=env)
            results[name].append(setup_seconds(timings))
            walls[name].append(wall)
    print(f"PostgreSQL from {bindir}, {rounds} rounds, median fixture setup (whole pytest run):")
    print(
        f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: other work on the machine slows both sides)"
    )
    for name, values in results.items():
        print(f"  {name:<22} {statistics.median(values):6.3f} s   ({statistics.median(walls[name]):.2f} s)")
    ours_median = statistics.median(results["ours"])
    peer_median = statistics.median(results["pytest-postgresql"])
    disk_median = statistics.median(results["ours (data on disk)"])
    ratio = peer_median / ours_median
    print(f"ratio pytest-postgresql / ours: {ratio:.1f}x (data on disk: {peer_median / disk_median:.1f}x)")
    print(
        f"target: ours <= {TARGET_SECONDS} s: {'met' if ours_median <= TARGET_SECONDS else 'MISSED'}; "
        f">= {TARGET_RATIO}x: {'met' if ratio >= TARGET_RATIO else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
