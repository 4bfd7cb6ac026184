"""Helpers for the trace tests: paths, small Alembic projects, finding statements in a trace."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "trace_project"
EXAMPLE_CONFIG = EXAMPLE / "alembic.ini"


def write_project(root: Path, upgrades: list[str], *, env_py: str | None = None) -> Path:
    """An Alembic project at `root` whose revision N (0001, 0002…) has upgrades[N-1] as its body.

    Returns the alembic.ini path. env.py and alembic.ini are the example project's, unless
    `env_py` replaces env.py.
    """
    migrations = root / "migrations"
    (migrations / "versions").mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE_CONFIG, root / "alembic.ini")
    (migrations / "env.py").write_text(env_py or (EXAMPLE / "migrations" / "env.py").read_text())
    for number, body in enumerate(upgrades, start=1):
        revision = f"{number:04d}"
        down = "None" if number == 1 else repr(f"{number - 1:04d}")
        (migrations / "versions" / f"{revision}_step.py").write_text(
            f'"""step {revision}"""\n\n'
            "import sqlalchemy as sa\nfrom alembic import op\n\n"
            f"revision = {revision!r}\ndown_revision = {down}\nbranch_labels = None\ndepends_on = None\n\n\n"
            "def upgrade() -> None:\n"
            + textwrap.indent(textwrap.dedent(body).strip() or "pass", "    ")
            + "\n\n\ndef downgrade() -> None:\n    pass\n"
        )
    return root / "alembic.ini"


def by_sql(result: Any, fragment: str) -> Any:
    """The one traced statement whose SQL contains `fragment`."""
    matches = [statement for statement in result.statements if fragment in statement.sql]
    assert len(matches) == 1, [statement.sql for statement in result.statements]
    return matches[0]


def modes(statement: Any, relation: str) -> set[str]:
    return {lock.mode for lock in statement.locks if lock.relation == relation}
