"""What `releasesafe lint` imports decides how fast a pre-commit run on a few files starts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROBE = (
    "import sys\n"
    "sys.argv = ['releasesafe', 'lint', '--no-cache', '--exit-zero', *sys.argv[1:]]\n"
    "from pytest_releasesafe.cli import main  # not the console script: it ends the process itself\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print(sorted(m for m in ('sqlglot', 'libcst', 'sqlalchemy') if m in sys.modules), file=sys.stderr)\n"
)

REVISION = '''"""add a column"""
import sqlalchemy as sa
from alembic import op

revision = "a1"
down_revision = None


def upgrade():
    op.add_column("users", sa.Column("nickname", sa.String(length=64), nullable=True))


def downgrade():
    op.drop_column("users", "nickname")
'''


def _heavy_imports(tmp_path: Path, *files: Path) -> tuple[str, str]:
    (tmp_path / "pyproject.toml").write_text("[tool.releasesafe]\n")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *map(str, files)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stderr.strip().splitlines()[-1], done.stdout


def test_revision_without_sql_is_linted_without_importing_the_sql_parser(tmp_path: Path) -> None:
    revision = tmp_path / "versions" / "a1_add_column.py"
    revision.parent.mkdir()
    revision.write_text(REVISION)
    imported, report = _heavy_imports(tmp_path, revision)
    assert imported == "[]"
    assert "RS602" in report  # it was linted: an ALTER without a lock timeout is still reported


def test_revision_with_sql_still_reads_its_sql(tmp_path: Path) -> None:
    revision = tmp_path / "versions" / "a1_add_index.py"
    revision.parent.mkdir()
    revision.write_text(
        REVISION.replace(
            'op.add_column("users", sa.Column("nickname", sa.String(length=64), nullable=True))',
            'op.execute("CREATE INDEX ix_users_nickname ON users (nickname)")',
        )
    )
    imported, report = _heavy_imports(tmp_path, revision)
    assert imported == "['sqlglot']"
    assert "RS101" in report
