"""Benchmark: trace a generated 50-revision Alembic history (1,000 seeded rows per table).

Side by side in one run, on fresh databases of one server:
  - plain `alembic upgrade head` (alembic.command.upgrade, in-process), the peer;
  - `releasesafe trace` of the same history (seeding, catalog reads around every statement, the
    second-connection observer for autocommit blocks).
Prints both times, the ratio, and whether the trace meets its 30 s budget.

    .venv/bin/python benchmarks/trace_history.py [--revisions 50] [--rows 1000] [--database postgresql]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from alembic import command

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "trace_project"
BUDGET_SECONDS = 30.0


def _operation(number: int) -> str:
    """Revision `number`'s upgrade body: a rotation of everyday schema changes on the tables so far."""
    table = f"t{(number - 1) // 6}"
    step = (number - 1) % 6
    if step == 0:
        return (
            f'op.create_table("{table}", sa.Column("id", sa.Integer, primary_key=True), '
            f'sa.Column("name", sa.String(80), nullable=False), sa.Column("qty", sa.Integer))'
        )
    if step == 1:
        return f'op.add_column("{table}", sa.Column("note", sa.Text, nullable=True))'
    if step == 2:
        return f'op.create_index("ix_{table}_name", "{table}", ["name"])'
    if step == 3:
        return (
            "with op.get_context().autocommit_block():\n"
            f'        op.create_index("ix_{table}_qty", "{table}", ["qty"], postgresql_concurrently=True)'
        )
    if step == 4:
        return f'op.alter_column("{table}", "qty", type_=sa.BigInteger, existing_type=sa.Integer)'
    parent = f"t{max((number - 1) // 6 - 1, 0)}"
    if parent == table:
        return f'op.alter_column("{table}", "note", server_default="")'
    return (
        f'op.add_column("{table}", sa.Column("{parent}_id", sa.Integer))\n'
        f'    op.execute("UPDATE {table} SET {parent}_id = id")\n'
        f'    op.create_foreign_key("fk_{table}_{parent}", "{table}", "{parent}", ["{parent}_id"], ["id"])'
    )


def write_history(root: Path, revisions: int) -> Path:
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    shutil.copy(EXAMPLE / "alembic.ini", root / "alembic.ini")
    shutil.copy(EXAMPLE / "migrations" / "env.py", root / "migrations" / "env.py")
    for number in range(1, revisions + 1):
        down = "None" if number == 1 else repr(f"{number - 1:04d}")
        (versions / f"{number:04d}_generated.py").write_text(
            f'"""generated step {number}"""\n\nimport sqlalchemy as sa\nfrom alembic import op\n\n'
            f"revision = {f'{number:04d}'!r}\ndown_revision = {down}\n"
            "branch_labels = None\ndepends_on = None\n\n\n"
            f"def upgrade() -> None:\n    {_operation(number)}\n\n\ndef downgrade() -> None:\n    pass\n"
        )
    return root / "alembic.ini"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--revisions", type=int, default=50)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--database", default="postgresql", help='"postgresql" or a postgresql:// server URL')
    args = parser.parse_args()

    from pytest_releasesafe.db import get_server
    from pytest_releasesafe.verify.trace.runner import AlembicProject, postgres_url, trace_migrations

    with tempfile.TemporaryDirectory(prefix="trace_bench_") as workdir, get_server(args.database) as server:
        config_path = write_history(Path(workdir), args.revisions)
        project = AlembicProject(config_path)

        with server.create_database(prefix="trace_bench") as database:
            config = project.new_config()
            url = postgres_url(database.url).render_as_string(hide_password=False)
            config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
            started = time.perf_counter()
            command.upgrade(config, "heads")
            plain = time.perf_counter() - started

        with server.create_database(prefix="trace_bench") as database:
            started = time.perf_counter()
            result = trace_migrations(project, database.url, rows=args.rows)
            traced = time.perf_counter() - started

    if result.failure is not None:
        print(f"trace failed at {result.failure.revision}: {result.failure.message}", file=sys.stderr)
        return 1
    statements = len(result.statements)
    print(f"history: {args.revisions} revisions, {statements} statements, {args.rows:,} rows per table")
    print(f"alembic upgrade head (peer, no data):  {plain:7.2f} s")
    print(f"releasesafe trace (seeded, observed):  {traced:7.2f} s")
    print(f"ratio trace / plain upgrade:           {traced / plain:7.1f}x")
    verdict = "within" if traced < BUDGET_SECONDS else "OVER"
    print(
        f"budget: {traced:.2f} s for {args.revisions} revisions: {verdict} the {BUDGET_SECONDS:.0f} s target"
    )
    return 0 if traced < BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
