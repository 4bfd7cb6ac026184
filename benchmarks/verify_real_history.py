"""Benchmark: every migration check on a generated 150-revision history shaped like real ones
(mixed column types, backfills, foreign keys added over existing rows, no-op and merge revisions,
a history starting from a schema, and a few broken revisions), serial and with `-n 2`.

    .venv/bin/python benchmarks/verify_real_history.py [--revisions 150] [--database URL] [--repeat 2]

Prints ms per revision (wall and CPU of the pytest process tree) for `pytest` and `pytest -n 2`,
with the load average: the machine may be shared, so CPU time is the steadier figure.
Target: <= 60 ms per revision serial; -n 2 at least 1.7x faster on 2 cores.
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
WORK = HERE / ".work" / "real_history"
sys.path.insert(0, str(HERE))

from verify_history import REVISION  # noqa: E402

ALEMBIC_INI = """[alembic]
script_location = %(here)s/migrations
prepend_sys_path = %(here)s
path_separator = os
sqlalchemy.url = postgresql+psycopg://localhost/placeholder
"""

# pytest-alembic's style: the handed-in connectable is an Engine-like object, connected here.
ENV_PY = """from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
connectable = config.attributes.get("connection") or engine_from_config(
    config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
"""


# The table every history starts from (create_all() in the application, before revision one).
SETUP_SQL = "CREATE TABLE accounts (id INTEGER PRIMARY KEY, email VARCHAR(80) NOT NULL);\n"


def _steps(index: int, table: str, parent: str) -> tuple[str, str, str]:
    """(message, upgrade, downgrade) of revision `index`, working on `table`; `parent` is an
    earlier table. Every 30th revision is broken (a downgrade that leaves a column behind)."""
    if index % 30 == 25:
        return (
            f"broken {table}.extra",
            f'    op.add_column("{table}", sa.Column("extra_{index}", sa.Integer()))',
            "    pass",
        )
    kind = index % 10
    if kind == 0:
        return (
            f"create {table}",
            "    from sqlalchemy.dialects import postgresql as pg\n\n"
            f'    op.create_table("{table}", sa.Column("id", sa.Integer(), primary_key=True),'
            f' sa.Column("name", sa.String(50), nullable=False), sa.Column("ratio", sa.Float()),'
            f' sa.Column("score", pg.DOUBLE_PRECISION()), sa.Column("wait", pg.INTERVAL()),'
            f' sa.Column("born", sa.Date()), sa.Column("active", sa.Boolean()),'
            f' sa.Column("doc", pg.JSONB()), sa.Column("parent_id", sa.Integer()))\n'
            f'    op.create_index("ix_{table}_name", "{table}", ["name"])',
            f'    op.drop_index("ix_{table}_name", table_name="{table}")\n    op.drop_table("{table}")',
        )
    if kind == 1:
        return (
            f"add {table}.note",
            f'    op.add_column("{table}", sa.Column("note", sa.Text(), nullable=True))',
            f'    op.drop_column("{table}", "note")',
        )
    if kind == 2:  # a foreign key added over existing rows
        return (
            f"fk {table}.parent_id",
            f'    op.create_foreign_key("fk_{table}_parent", "{table}", "{parent}", ["parent_id"], ["id"])',
            f'    op.drop_constraint("fk_{table}_parent", "{table}", type_="foreignkey")',
        )
    if kind == 3:  # a backfill: data only
        return (
            f"backfill {table}.note",
            f"    op.execute(\"UPDATE {table} SET note = 'n/a' WHERE note IS NULL\")",
            "    pass",
        )
    if kind == 4:
        return (
            f"add {table}.amount with a check",
            f'    op.add_column("{table}", sa.Column("amount", sa.Numeric(10, 2), nullable=False,'
            f' server_default="1"))\n'
            f'    op.create_check_constraint("ck_{table}_amount", "{table}", "amount > 0")',
            f'    op.drop_constraint("ck_{table}_amount", "{table}", type_="check")\n'
            f'    op.drop_column("{table}", "amount")',
        )
    if kind == 5:
        return ("no-op", "    pass", "    pass")
    if kind == 6:
        return (
            f"unique {table}.name",
            f'    op.create_unique_constraint("uq_{table}_name", "{table}", ["name"])',
            f'    op.drop_constraint("uq_{table}_name", "{table}", type_="unique")',
        )
    if kind == 7:
        return (
            f"enum {table}.state",
            f'    state = sa.Enum("draft", "live", name="{table}_state")\n'
            f"    state.create(op.get_bind())\n"
            f'    op.add_column("{table}", sa.Column("state", state, nullable=True))',
            f'    op.drop_column("{table}", "state")\n    sa.Enum(name="{table}_state").drop(op.get_bind())',
        )
    if kind == 8:
        return (
            "drop a missing table",
            "    op.execute('DROP TABLE IF EXISTS never_created')",
            "    pass",
        )
    return (
        f"accounts.{table}_flag",
        f'    op.add_column("accounts", sa.Column("{table}_flag", sa.Boolean(), nullable=True))',
        f'    op.drop_column("accounts", "{table}_flag")',
    )


def generate(directory: Path, revisions: int) -> Path:
    if directory.exists():
        shutil.rmtree(directory)
    versions = directory / "migrations" / "versions"
    versions.mkdir(parents=True)
    (directory / "alembic.ini").write_text(ALEMBIC_INI)
    (directory / "migrations" / "env.py").write_text(ENV_PY)
    (directory / "schema.sql").write_text(SETUP_SQL)
    (directory / "pytest.ini").write_text(
        "[pytest]\nreleasesafe_alembic_config = alembic.ini\nreleasesafe_setup = schema.sql\n"
    )
    down: str | None = None
    for index in range(revisions):
        table = f"t{index // 10:03d}"
        parent = f"t{max(index // 10 - 1, 0):03d}"
        revision = f"r{index:04d}"
        message, upgrade, downgrade = _steps(index, table, parent)
        slug = message.split()[0]
        (versions / f"{revision}_{slug}.py").write_text(
            REVISION.format(
                message=message, revision=revision, down_revision=down, upgrade=upgrade, downgrade=downgrade
            )
        )
        down = revision
    return directory / "alembic.ini"


def run(directory: Path, url: str, *extra: str) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds of the pytest process tree, and pytest's summary line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--releasesafe-database={url}",
            *extra,
        ],
        cwd=directory,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
    if result.returncode not in (0, 1):
        raise SystemExit(f"pytest failed to run:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")
    return wall, cpu, summary


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--revisions", type=int, default=150)
    parser.add_argument("--database", default=os.environ.get("RELEASESAFE_DATABASE", "postgresql"))
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    from pytest_releasesafe.db import get_server

    server = get_server(args.database)
    if server.dialect != "postgresql":
        raise SystemExit("this benchmark runs on PostgreSQL (its history uses JSONB, INTERVAL and enums)")
    try:
        generate(WORK, args.revisions)
        print(f"history: {args.revisions} revisions on PostgreSQL {'.'.join(map(str, server.version))}")
        results: dict[str, list[tuple[float, float, str]]] = {"serial": [], "-n 2": []}
        for round_ in range(args.repeat):
            for mode, extra in (("serial", ()), ("-n 2", ("-n", "2"))):
                load = os.getloadavg()[0]
                results[mode].append(run(WORK, server.url, *extra))
                wall, cpu, summary = results[mode][-1]
                print(
                    f"  round {round_ + 1} {mode:6}: {wall:.1f} s wall, {cpu:.1f} s CPU,"
                    f" {wall * 1000 / args.revisions:.0f} ms/revision (load {load:.1f}): {summary}"
                )
        serial = statistics.median(wall for wall, _, _ in results["serial"])
        parallel = statistics.median(wall for wall, _, _ in results["-n 2"])
        serial_cpu = statistics.median(cpu for _, cpu, _ in results["serial"])
        print(
            f"serial: {serial * 1000 / args.revisions:.0f} ms/revision wall,"
            f" {serial_cpu * 1000 / args.revisions:.0f} ms/revision CPU (target <= 60)"
        )
        print(
            f"-n 2:   {parallel * 1000 / args.revisions:.0f} ms/revision wall;"
            f" speed-up {serial / parallel:.2f}x (target >= 1.7x)"
        )
        print(f"load average now: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
