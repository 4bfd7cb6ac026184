"""Benchmark: the stairway with no-trace comparison on a generated 100-revision history (Postgres),
side by side with pytest-alembic's test_up_down_consistency + experimental
test_downgrade_leaves_no_trace on the same history and the same server.

    .venv/bin/python benchmarks/verify_stairway.py [--revisions 100] [--database URL] [--repeat 3]

pytest-alembic runs in its own venv under benchmarks/.work/ (created on first run, with a pytest
it supports). Prints per-revision cost, wall times and the ratio. Target: <= 30 ms per revision,
and our whole pytest run >= 4x faster than the peer's two tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
PEER_VENV = WORK / "peer-venv"
sys.path.insert(0, str(HERE))

from verify_history import generate  # noqa: E402

PEER_CONFTEST = """import os
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url


@pytest.fixture
def alembic_engine():
    url = make_url(os.environ["PEER_DATABASE_URL"])
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    name = "releasesafe_bench_peer_" + uuid.uuid4().hex[:8]
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine = sa.create_engine(url.set(database=name))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
"""

PEER_REQUIREMENTS = ("pytest>=8,<9", "pytest-alembic", "sqlalchemy>=2.0,<2.1", "psycopg[binary]")

PEER_TESTS = """from pytest_alembic.tests import test_up_down_consistency  # noqa: F401
from pytest_alembic.tests.experimental import test_downgrade_leaves_no_trace  # noqa: F401
"""


def ensure_peer_venv() -> Path:
    python = PEER_VENV / "bin" / "python"
    marker = PEER_VENV / "releasesafe-requirements.txt"
    wanted = "\n".join(PEER_REQUIREMENTS)
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
    if not marker.exists() or marker.read_text() != wanted:
        # pytest-alembic 0.13 crashes at collection on pytest 9 and its no-trace test fails on
        # SQLAlchemy 2.1 (its wrapped connection is refused by has_table): pin what it supports.
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_REQUIREMENTS], check=True)
        marker.write_text(wanted)
    return python


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
    if result.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} failed in {cwd}:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}"
        )
    return elapsed, summary


def per_revision_ms(alembic_ini: Path, server: object, with_data: bool = False) -> float:
    """In-process: the stairway (upgrade, downgrade, no-trace comparison, upgrade) of every
    revision after the first, on one database; milliseconds per revision. `with_data`: with the
    data round-trip folded in (seeded rows compared after the downgrade), as pytest runs it when
    both checks are selected."""
    from pytest_releasesafe.verify.checks import Verifier, VerifySettings

    verifier = Verifier(
        VerifySettings(alembic_ini),
        lambda template: server.create_database(template, prefix="releasesafe_bench"),
    )
    try:
        revisions = verifier.scripts.revisions
        if with_data:
            verifier.fold_data = frozenset(revision.id for revision in revisions)
        verifier.check_stairway(revisions[0])  # creates the database: not a per-revision cost
        started = time.perf_counter()
        for revision in revisions[1:]:
            verifier.check_stairway(revision)
        return (time.perf_counter() - started) * 1000 / (len(revisions) - 1)
    finally:
        verifier.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--revisions", type=int, default=100)
    parser.add_argument("--database", default=os.environ.get("RELEASESAFE_DATABASE", "postgresql"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from pytest_releasesafe.db import get_server

    server = get_server(args.database)
    if server.dialect != "postgresql":
        raise SystemExit("this benchmark runs on PostgreSQL")
    try:
        ours_dir, peer_dir = WORK / "stairway_ours", WORK / "stairway_peer"
        alembic_ini = generate(ours_dir, args.revisions)
        generate(peer_dir, args.revisions)
        (peer_dir / "conftest.py").write_text(PEER_CONFTEST)
        (peer_dir / "test_peer.py").write_text(PEER_TESTS)
        (peer_dir / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n")
        (ours_dir / "pytest.ini").write_text("[pytest]\nreleasesafe_alembic_config = alembic.ini\n")
        peer_python = ensure_peer_venv()
        ours_pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        ours_pytest.append(f"--releasesafe-database={server.url}")
        peer_env = {**os.environ, "PEER_DATABASE_URL": server.url}

        print(f"history: {args.revisions} revisions on PostgreSQL {'.'.join(map(str, server.version))}")
        in_process, with_data, stairway_runs, suite_runs, peer_runs = [], [], [], [], []
        for round_ in range(args.repeat):
            in_process.append(per_revision_ms(alembic_ini, server))
            with_data.append(per_revision_ms(alembic_ini, server, with_data=True))
            stairway_runs.append(timed([*ours_pytest, "-k", "stairway"], ours_dir))
            suite_runs.append(timed(ours_pytest, ours_dir))
            peer_runs.append(timed([str(peer_python), "-m", "pytest", "-q"], peer_dir, peer_env))
            print(
                f"  round {round_ + 1}: stairway {in_process[-1]:.1f} ms/revision in-process"
                f" ({with_data[-1]:.1f} with the data round-trip);"
                f" pytest stairway items {stairway_runs[-1][0]:.1f} s; all items {suite_runs[-1][0]:.1f} s;"
                f" pytest-alembic {peer_runs[-1][0]:.1f} s"
            )
        ms = statistics.median(in_process)
        stairway = statistics.median(t for t, _ in stairway_runs)
        suite = statistics.median(t for t, _ in suite_runs)
        peer = statistics.median(t for t, _ in peer_runs)
        print(f"our stairway items:  {stairway_runs[-1][1]}")
        print(f"our whole suite:     {suite_runs[-1][1]}")
        print(f"pytest-alembic:      {peer_runs[-1][1]}")
        print(f"per revision (stairway + no-trace, in-process, median): {ms:.1f} ms (target <= 30 ms)")
        print(
            "per revision (stairway + no-trace + data round-trip in one pass, in-process, median):"
            f" {statistics.median(with_data):.1f} ms"
        )
        print(
            f"pytest stairway items (median): {stairway:.2f} s;"
            f"  ratio vs pytest-alembic: {peer / stairway:.1f}x"
        )
        print(
            f"pytest all items: history, upgrade, stairway, data, drift (median): {suite:.2f} s;"
            f"  ratio vs pytest-alembic: {peer / suite:.1f}x (target >= 4x)"
        )
        print(f"pytest-alembic up_down_consistency + downgrade_leaves_no_trace (median): {peer:.2f} s")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
