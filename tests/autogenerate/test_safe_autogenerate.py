"""`alembic revision --autogenerate` with safe_directives writes revisions `releasesafe lint` passes,
and they run on a real Postgres holding rows. Every step runs the real alembic and releasesafe CLIs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from pytest_releasesafe.db import Database

pytestmark = pytest.mark.postgres

BIN = Path(sys.executable).parent

# Model versions: v1 the released schema; v2 adds an index, an FK, a unique constraint, a NOT NULL
# column without default, widens a varchar and drops a column.
MODELS = """
import os
import sqlalchemy as sa

V = int(os.environ.get("MODELS_VERSION", "1"))
metadata = sa.MetaData()
users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(100 if V == 1 else 200), nullable=False, index=V >= 2),
    sa.Column("full_name" if os.environ.get("RENAME") else "name", sa.String(50)),
    *([sa.Column("status", sa.String(20), nullable=False)] if V >= 2 else []),
    *([sa.UniqueConstraint("email", name="uq_users_email")] if V >= 2 else []),
)
orders = sa.Table(
    "orders", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id") if V >= 2 else None, nullable=False),
    sa.Column("total", sa.Numeric(10, 2)),
    *([sa.Column("legacy", sa.Text, nullable=False, server_default="x")] if V == 1 else []),
)
"""

ENV_HOOK = """
from pytest_releasesafe.autogenerate import make_safe_directives
HOOK = make_safe_directives(contract=[c for c in os.environ.get("CONTRACT", "").split(",") if c])
"""


def _project(tmp_path: Path, database: Database, *, safe: bool) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    subprocess.run([BIN / "alembic", "init", "migrations"], cwd=project, check=True, capture_output=True)
    (project / "models.py").write_text(MODELS)
    ini = project / "alembic.ini"
    url = database.url.replace("postgresql://", "postgresql+psycopg://", 1)
    ini.write_text(
        "\n".join(
            f"sqlalchemy.url = {url}" if line.startswith("sqlalchemy.url") else line
            for line in ini.read_text().splitlines()
        )
    )
    env = project / "migrations" / "env.py"
    text = env.read_text().replace(
        "target_metadata = None",
        "import os, sys\nsys.path.insert(0, os.getcwd())\nfrom models import metadata as target_metadata\n"
        + (ENV_HOOK if safe else "HOOK = None\n"),
    )
    text = text.replace(
        "connection=connection, target_metadata=target_metadata",
        "connection=connection, target_metadata=target_metadata, process_revision_directives=HOOK",
    )
    env.write_text(text)
    return project


def _alembic(
    project: Path, *args: str, version: int, contract: str = "", rename: bool = False, check: bool = True
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "MODELS_VERSION": str(version), "CONTRACT": contract}
    if rename:
        environment["RENAME"] = "1"
    done = subprocess.run(
        [BIN / "alembic", *args], cwd=project, env=environment, capture_output=True, text=True
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done


def _autogenerate(
    project: Path, message: str, version: int, contract: str = "", rename: bool = False
) -> Path:
    _alembic(
        project,
        "revision",
        "--autogenerate",
        "-m",
        message,
        version=version,
        contract=contract,
        rename=rename,
    )
    return next((project / "migrations" / "versions").glob(f"*_{message}.py"))


def _lint(path: Path) -> tuple[int, list[dict]]:
    done = subprocess.run(
        [BIN / "releasesafe", "lint", str(path), "--format", "json", "--no-cache"],
        capture_output=True,
        text=True,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def _blocking(findings: list[dict]) -> list[str]:
    return [f"{f['line']}: {f['rule']} {f['message']}" for f in findings if f["severity"] != "info"]


def _released(project: Path, database: Database) -> None:
    _autogenerate(project, "initial", version=1)
    _alembic(project, "upgrade", "head", version=1)
    with database.engine().begin() as connection:
        connection.execute(sa.text("INSERT INTO users (id, email, name) VALUES (1, 'a@example.com', 'A')"))
        connection.execute(sa.text("INSERT INTO orders (id, user_id, total) VALUES (1, 1, 5)"))


def test_plain_autogenerate_is_rejected_by_the_linter(tmp_path: Path, database: Database) -> None:
    # The control: without the hook the same model change is an unsafe revision.
    project = _project(tmp_path, database, safe=False)
    _released(project, database)
    revision = _autogenerate(project, "change", version=2)
    code, findings = _lint(revision)
    assert code == 1
    rules = {f["rule"] for f in findings}
    assert {"RS101", "RS201", "RS204", "RS301", "RS511"} <= rules


def test_safe_revision_passes_lint_and_runs_on_a_table_with_rows(tmp_path: Path, database: Database) -> None:
    project = _project(tmp_path, database, safe=True)
    _released(project, database)
    revision = _autogenerate(project, "change", version=2)
    code, findings = _lint(revision)
    assert _blocking(findings) == [], revision.read_text()
    assert code == 0
    text = revision.read_text()
    assert "postgresql_concurrently=True" in text and "autocommit_block()" in text
    assert "postgresql_not_valid=True" in text and "VALIDATE CONSTRAINT orders_user_id_fkey" in text
    assert "UNIQUE USING INDEX uq_users_email" in text
    assert "op.drop_column('orders', 'legacy')" not in text  # deferred: the running release maps it
    _alembic(project, "upgrade", "head", version=2)
    inspector = sa.inspect(database.engine())
    assert {c["name"] for c in inspector.get_columns("orders")} >= {"legacy"}
    assert [fk["name"] for fk in inspector.get_foreign_keys("orders")] == ["orders_user_id_fkey"]
    assert {u["name"] for u in inspector.get_unique_constraints("users")} == {"uq_users_email"}
    with database.engine().connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM users")).scalar() == 1
        assert not connection.execute(
            sa.text("SELECT bool_or(NOT convalidated) FROM pg_constraint WHERE conrelid = 'orders'::regclass")
        ).scalar()
    # The downgrade undoes it on the real database (the unnamed FK got a name it can drop by).
    _alembic(project, "downgrade", "-1", version=2)
    inspector = sa.inspect(database.engine())
    assert inspector.get_foreign_keys("orders") == []
    assert "status" not in {c["name"] for c in inspector.get_columns("users")}


def test_not_null_follow_up_becomes_check_validate_set_not_null(tmp_path: Path, database: Database) -> None:
    project = _project(tmp_path, database, safe=True)
    _released(project, database)
    _autogenerate(project, "change", version=2)
    _alembic(project, "upgrade", "head", version=2)
    with database.engine().begin() as connection:
        connection.execute(sa.text("UPDATE users SET status = 'active'"))  # the backfill the note asks for
    # Autogenerate again: the model's NOT NULL, which the first revision left out, is found now.
    revision = _autogenerate(project, "status_not_null", version=2)
    code, findings = _lint(revision)
    assert _blocking(findings) == [], revision.read_text()
    text = revision.read_text()
    assert "CHECK (status IS NOT NULL) NOT VALID" in text
    assert "VALIDATE CONSTRAINT users_status_not_null" in text
    _alembic(project, "upgrade", "head", version=2)
    columns = {c["name"]: c for c in sa.inspect(database.engine()).get_columns("users")}
    assert columns["status"]["nullable"] is False
    assert sa.inspect(database.engine()).get_check_constraints("users") == []  # the helper CHECK is gone


def test_contract_step_drops_for_real_with_a_reasoned_suppression(tmp_path: Path, database: Database) -> None:
    project = _project(tmp_path, database, safe=True)
    _released(project, database)
    _autogenerate(project, "change", version=2)
    _alembic(project, "upgrade", "head", version=2)
    with database.engine().begin() as connection:
        connection.execute(sa.text("UPDATE users SET status = 'active'"))
    revision = _autogenerate(project, "contract", version=2, contract="orders.legacy")
    text = revision.read_text()
    assert "# releasesafe: ignore[RS511] contract step" in text
    code, findings = _lint(revision)
    assert code == 0 and _blocking(findings) == []
    _alembic(project, "upgrade", "head", version=2)
    assert "legacy" not in {c["name"] for c in sa.inspect(database.engine()).get_columns("orders")}


def test_a_contract_name_that_matches_no_drop_is_an_error(tmp_path: Path, database: Database) -> None:
    project = _project(tmp_path, database, safe=True)
    _released(project, database)
    done = _alembic(
        project, "revision", "--autogenerate", "-m", "typo", version=2, contract="orders.legcy", check=False
    )
    assert done.returncode != 0
    assert "contract=['orders.legcy'] names no column or table" in done.stderr
    assert not list((project / "migrations" / "versions").glob("*_typo.py"))


def test_deferred_drop_of_a_not_null_column_lets_new_code_insert(tmp_path: Path, database: Database) -> None:
    # v2 code no longer writes orders.legacy. Without a server default the expand step must drop
    # NOT NULL, or the new release's INSERTs fail; the previous release may then read a NULL there,
    # which only a human can judge: the lint keeps RS304 (a warning) for that review.
    project = _project(tmp_path, database, safe=True)
    (project / "models.py").write_text(MODELS.replace('nullable=False, server_default="x"', "nullable=False"))
    _released_without_default = textwrap.dedent(
        """
        INSERT INTO users (id, email, name) VALUES (1, 'a@example.com', 'A');
        INSERT INTO orders (id, user_id, total, legacy) VALUES (1, 1, 5, 'x');
        """
    )
    _autogenerate(project, "initial", version=1)
    _alembic(project, "upgrade", "head", version=1)
    with database.engine().begin() as connection:
        for statement in filter(str.strip, _released_without_default.split(";")):
            connection.execute(sa.text(statement))
    revision = _autogenerate(project, "change", version=2)
    code, findings = _lint(revision)
    assert [(f["rule"], f["severity"]) for f in findings if f["severity"] != "info"] == [("RS304", "warning")]
    assert "orders.legacy" in next(f["message"] for f in findings if f["rule"] == "RS304")
    _alembic(project, "upgrade", "head", version=2)
    with database.engine().begin() as connection:
        connection.execute(sa.text("INSERT INTO orders (id, user_id, total) VALUES (2, 1, 7)"))


def test_a_rename_becomes_expand_contract_and_keeps_the_data(tmp_path: Path, database: Database) -> None:
    project = _project(tmp_path, database, safe=True)
    _released(project, database)
    revision = _autogenerate(project, "rename", version=1, rename=True)
    text = revision.read_text()
    assert "users.name -> full_name looks like a rename" in text
    assert "drop_column('users', 'name')" not in text
    code, findings = _lint(revision)
    assert code == 0 and _blocking(findings) == [], text
    _alembic(project, "upgrade", "head", version=1, rename=True)
    with database.engine().connect() as connection:
        assert connection.execute(sa.text("SELECT name FROM users")).scalar() == "A"  # old column kept
        assert connection.execute(sa.text("SELECT full_name FROM users")).scalar() is None
