"""Benchmark: a fresh database per test, ours vs pytest-postgresql's `postgresql` fixture.

Side by side in one run: each side is a real pytest session as an unprivileged user with N tests
that each get a fresh database and run one query. Per test we count setup + call + teardown
(create, connect, query, drop), leaving out the first test (it also starts the server).
Ours is measured for `releasesafe_database` (empty) and `migrated_database` (clone of a template
at the Alembic head of examples/db_project), and once more with its data on disk in TMPDIR like
the peer's instead of in memory. Target: ours <= 40 ms median.

    .venv/bin/python benchmarks/db_fresh_database.py [--tests 40]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics

from db_peer_env import ROOT, ensure_venv, postgres_bindir, run_pytest, user_home, write_project

TARGET_MS = 40.0

OURS = """
import pytest
from sqlalchemy import text

@pytest.mark.parametrize("n", range({tests}))
def test_fresh(releasesafe_database, n):
    with releasesafe_database.engine().connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar() == 1

@pytest.mark.parametrize("n", range({tests}))
def test_migrated(migrated_database, n):
    with migrated_database.engine().connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM customers")).scalar() == 1
"""

PEER = """
import pytest

@pytest.mark.parametrize("n", range({tests}))
def test_fresh(postgresql, n):
    with postgresql.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1
"""


def per_test_ms(timings: list[dict], prefix: str) -> list[float]:
    totals: dict[str, float] = {}
    for entry in timings:
        if f"::{prefix}[" in entry["test"]:
            totals[entry["test"]] = totals.get(entry["test"], 0.0) + entry["seconds"]
    values = [seconds * 1000 for seconds in totals.values()]
    return values[1:]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tests", type=int, default=40)
    tests = parser.parse_args().tests
    ensure_venv()
    bindir = postgres_bindir()
    ours = write_project("fresh_ours", {"test_fresh.py": OURS.format(tests=tests)})
    example = ROOT / "examples" / "db_project"
    for item in ("alembic.ini", "migrations", "storefront"):
        copy = shutil.copytree if (example / item).is_dir() else shutil.copy
        copy(example / item, ours / item)
    peer = write_project("fresh_peer", {"test_fresh.py": PEER.format(tests=tests)})
    run_pytest(ours, "--releasesafe-database=postgresql", "-k", "test_fresh[0]")  # warm the cache
    our_timings, _ = run_pytest(ours, "--releasesafe-database=postgresql")
    disk = {"RELEASESAFE_RUN_DIR": str(user_home() / "tmp")}
    disk_timings, _ = run_pytest(ours, "--releasesafe-database=postgresql", "-k", "test_fresh", env=disk)
    peer_timings, _ = run_pytest(peer, "-p", "no:releasesafe", f"--postgresql-exec={bindir / 'pg_ctl'}")
    fresh = statistics.median(per_test_ms(our_timings, "test_fresh"))
    migrated = statistics.median(per_test_ms(our_timings, "test_migrated"))
    peer_fresh = statistics.median(per_test_ms(peer_timings, "test_fresh"))
    disk_fresh = statistics.median(per_test_ms(disk_timings, "test_fresh"))
    print(f"PostgreSQL from {bindir}, {tests} tests each, median per test (create, connect, query, drop):")
    print(
        f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: other work on the machine slows both sides)"
    )
    print(f"  ours releasesafe_database    {fresh:7.1f} ms")
    print(f"  ours migrated_database       {migrated:7.1f} ms")
    print(f"  ours, data on disk like peer {disk_fresh:7.1f} ms")
    print(f"  pytest-postgresql postgresql {peer_fresh:7.1f} ms")
    ratio, disk_ratio = peer_fresh / fresh, peer_fresh / disk_fresh
    print(f"ratio pytest-postgresql / ours: {ratio:.1f}x (data on disk: {disk_ratio:.1f}x)")
    print(f"target: ours <= {TARGET_MS:.0f} ms: {'met' if max(fresh, migrated) <= TARGET_MS else 'MISSED'}")


if __name__ == "__main__":
    main()
