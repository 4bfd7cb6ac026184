"""Benchmark: every migration check on a generated 150-revision history shaped like real ones
(mixed column types, backfills, foreign keys added over existing rows, no-op and merge revisions,
a history starting from a schema, and a few broken revisions), serial and with `-n 2`.

    .venv/bin/python benchmarks/verify_real_history.py [--revisions 150] [--database URL] [--repeat 2]
        [--base REF]

Side by side in one run: "before" (the code at REF, by default where this branch left main) and
"after" (this working tree), each serial and with `-n 2`, interleaved. Prints ms per revision
(wall of the whole process, pytest's own session time without start-up, and CPU of the pytest
process tree), the -n 2 speed-up, after/before ratios and the load average: the machine may be
shared, so CPU time is the steadier figure. Both trees run with bytecode written once and without
the pytest-lsp and Hypothesis plugins this project's dev environment installs for its own tests.
Target: <= 60 ms per revision serial; -n 2 at least 1.7x faster on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
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


def export_tree(ref: str) -> Path:
    """The project at `ref`, extracted (the working tree is left alone)."""
    target = HERE / ".work" / f"tree_{ref[:12]}"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", ref], cwd=HERE.parent, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def branch_base() -> str:
    """Where this branch left main: the code the figures are compared with by default."""
    found = subprocess.run(
        ["git", "merge-base", "HEAD", "main"], cwd=HERE.parent, capture_output=True, text=True
    )
    return found.stdout.strip() or "HEAD"


def tree_env(tree: Path) -> dict[str, str]:
    # Users run installed code whose bytecode is compiled once: with PYTHONDONTWRITEBYTECODE
    # every run would also time compiling SQLAlchemy, Alembic and the plugin.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(tree)  # ahead of the editable install: this tree's plugin is loaded
    return env


@dataclass
class Run:
    wall: float  # the whole pytest process, start-up included
    cpu: float  # user + sys of the pytest process tree (workers included)
    session: float  # pytest's own "in N s": collection and the items, without start-up
    summary: str


def run(directory: Path, tree: Path, url: str, *extra: str) -> Run:
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
            # Installed here only for this project's own LSP tests; importing it costs every
            # pytest process (each xdist worker too) a second and a half no user project pays.
            "-p",
            "no:pytest-lsp",
            # Likewise the Hypothesis plugin of the dev environment: it imports Hypothesis in its
            # terminal summary, about a second in every process (each xdist worker too) that a
            # project without Hypothesis does not pay.
            "-p",
            "no:hypothesispytest",
            f"--releasesafe-database={url}",
            *extra,
        ],
        cwd=directory,
        env=tree_env(tree),
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
    if result.returncode not in (0, 1):
        raise SystemExit(f"pytest failed to run:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")
    found = re.search(r" in ([0-9.]+)s", summary)
    return Run(wall, cpu, float(found.group(1)) if found else wall, summary)


def loaded_from(tree: Path, directory: Path) -> str:
    """Where pytest run in `directory` finds the plugin (as a check that `tree` is the one run)."""
    probe = (
        "import pytest_releasesafe, pathlib; print(pathlib.Path(pytest_releasesafe.__file__).parent.parent)"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], cwd=directory, env=tree_env(tree), capture_output=True, text=True
    )
    return found.stdout.strip()


MODES: dict[str, tuple[str, ...]] = {"serial": (), "-n 2": ("-n", "2")}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--revisions", type=int, default=150)
    parser.add_argument("--database", default=os.environ.get("RELEASESAFE_DATABASE", "postgresql"))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--base", default=None, help="git ref to compare with (default: the branch base)")
    args = parser.parse_args()

    from pytest_releasesafe.db import get_server

    server = get_server(args.database)
    if server.dialect != "postgresql":
        raise SystemExit("this benchmark runs on PostgreSQL (its history uses JSONB, INTERVAL and enums)")
    base = args.base or branch_base()
    trees = {"before": export_tree(base), "after": HERE.parent}
    try:
        generate(WORK, args.revisions)
        print(f"history: {args.revisions} revisions on PostgreSQL {'.'.join(map(str, server.version))}")
        for name, tree in trees.items():
            print(f"{name}: {loaded_from(tree, WORK)}" + (f" (git {base[:12]})" if name == "before" else ""))
            run(WORK, tree, server.url, "--co")  # untimed: writes the tree's bytecode
        results: dict[tuple[str, str], list[Run]] = {(t, m): [] for t in trees for m in MODES}
        for round_ in range(args.repeat):
            # Interleaved, so that a swing in the machine's load hits both trees alike.
            for mode, extra in MODES.items():
                for name, tree in trees.items():
                    load = os.getloadavg()[0]
                    outcome = run(WORK, tree, server.url, *extra)
                    results[name, mode].append(outcome)
                    print(
                        f"  round {round_ + 1} {name:6} {mode:6}: {outcome.wall:5.1f} s wall"
                        f" ({outcome.session:5.1f} s session), {outcome.cpu:5.1f} s CPU"
                        f" (load {load:.1f}): {outcome.summary}"
                    )
        per = 1000 / args.revisions
        medians = {
            key: (
                statistics.median(r.wall for r in runs),
                statistics.median(r.session for r in runs),
                statistics.median(r.cpu for r in runs),
            )
            for key, runs in results.items()
        }
        for name in trees:
            serial, parallel = medians[name, "serial"], medians[name, "-n 2"]
            print(
                f"{name:6}: serial {serial[0] * per:4.0f} ms/revision wall ({serial[1] * per:4.0f} session,"
                f" {serial[2] * per:4.0f} CPU); -n 2 {parallel[0] * per:4.0f} ms/revision wall"
                f" ({parallel[1] * per:4.0f} session); -n 2 speed-up {serial[0] / parallel[0]:.2f}x wall,"
                f" {serial[1] / parallel[1]:.2f}x session"
            )
        for mode in MODES:
            before, after = medians["before", mode], medians["after", mode]
            print(
                f"after/before {mode:6}: {after[0] / before[0]:.2f}x wall, {after[1] / before[1]:.2f}x session,"
                f" {after[2] / before[2]:.2f}x CPU"
            )
        print("targets: serial <= 60 ms/revision; -n 2 >= 1.7x faster than serial on 2 cores")
        print(
            f"load average now: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
            " (shared: other processes' load slows wall time, and -n 2 cannot use cores others hold)"
        )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
