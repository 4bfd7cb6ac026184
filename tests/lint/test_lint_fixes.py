"""`releasesafe lint --fix` / `--show-fixes`: fixed files re-parse and re-lint clean of the fixed rules."""

from __future__ import annotations

import ast
import subprocess
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from lint_helpers import alembic_source

from pytest_releasesafe import catalogue
from pytest_releasesafe.cli import main
from pytest_releasesafe.config import Config
from pytest_releasesafe.engine import lint
from pytest_releasesafe.fixes import FIXABLE_RULES

FIXED_RULES = ",".join(sorted(FIXABLE_RULES | {"RS203"}))

SQL_UNSAFE = """\
-- indexes
CREATE INDEX ix_users_email ON users (email);
CREATE UNIQUE INDEX IF NOT EXISTS ux_users_token ON users (token);
DROP INDEX ix_users_old;
REINDEX INDEX ix_users_name;
-- constraints
ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id);
ALTER TABLE orders ADD FOREIGN KEY (shop_id) REFERENCES shops (id);
ALTER TABLE orders ADD CONSTRAINT ck_orders_amount CHECK (amount > 0);
SELECT 'CREATE INDEX not_me ON users (x)';
"""

ALEMBIC_UNSAFE = """
def upgrade():
    # build the lookup index
    op.create_index("ix_users_email", "users", ["email"])
    op.drop_index("ix_users_old", table_name="users")
    op.create_index("ix_users_c", "users", ["c"], postgresql_concurrently=True)
    op.create_foreign_key(
        "fk_orders_user",
        "orders",
        "users",
        ["user_id"],
        ["id"],
    )
    op.create_check_constraint("ck_orders_amount", "orders", "amount > 0", schema="shop")
    op.execute(sa.text("CREATE INDEX ix_orders_at ON orders (created_at)"))
    op.execute("ALTER TABLE orders ADD CONSTRAINT fk_orders_shop FOREIGN KEY (shop_id) REFERENCES shops (id)")
    op.execute("DROP INDEX CONCURRENTLY IF EXISTS ix_users_name")
    op.add_column("orders", sa.Column("buyer_id", sa.BigInteger(), sa.ForeignKey("users.id"), nullable=True))
"""


def _write(tmp_path: Path, sql: str | None = None, alembic: str | None = None) -> list[Path]:
    paths = []
    if sql is not None:
        path = tmp_path / "001_change.sql"
        path.write_text(sql, encoding="utf-8")
        paths.append(path)
    if alembic is not None:
        path = tmp_path / "versions" / "abc123_change.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(alembic_source(alembic), encoding="utf-8")
        paths.append(path)
    return paths


def _findings(path: Path, tmp_path: Path) -> list[str]:
    config = Config(cache=False, root=tmp_path, select=tuple(FIXED_RULES.split(",")))
    return [f"{f.line}:{f.rule}" for f in lint([str(path)], config).findings]


def _run(*args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(main, ["lint", "--no-cache", *args])
    return result.exit_code, result.stdout, result.stderr


def test_sql_round_trip(tmp_path: Path) -> None:
    (path,) = _write(tmp_path, sql=SQL_UNSAFE)
    assert len(_findings(path, tmp_path)) == 7
    code, _, stderr = _run("--fix", "--select", FIXED_RULES, str(path))
    assert code == 0, stderr
    assert "fixed 7 statements" in stderr
    fixed = path.read_text()
    assert "CREATE INDEX CONCURRENTLY ix_users_email ON users (email);" in fixed
    assert "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ux_users_token" in fixed
    assert "DROP INDEX CONCURRENTLY ix_users_old;" in fixed
    assert "REINDEX INDEX CONCURRENTLY ix_users_name;" in fixed
    assert "REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT fk_orders_user;" in fixed
    assert "ADD CONSTRAINT orders_shop_id_fkey FOREIGN KEY (shop_id) REFERENCES shops (id) NOT VALID" in fixed
    assert "ALTER TABLE orders VALIDATE CONSTRAINT orders_shop_id_fkey;" in fixed
    assert "CHECK (amount > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT ck_orders_amount;" in fixed
    assert "-- indexes" in fixed and "SELECT 'CREATE INDEX not_me ON users (x)';" in fixed
    assert _findings(path, tmp_path) == []


def test_alembic_round_trip(tmp_path: Path) -> None:
    (path,) = _write(tmp_path, alembic=ALEMBIC_UNSAFE)
    before = _findings(path, tmp_path)
    assert {f.split(":")[1] for f in before} == {"RS101", "RS102", "RS103", "RS201", "RS202"}
    code, _, stderr = _run("--fix", "--select", FIXED_RULES, str(path))
    assert code == 0, stderr
    fixed = path.read_text()
    ast.parse(fixed)
    assert (
        "    # build the lookup index\n"
        "    with op.get_context().autocommit_block():\n"
        '        op.create_index("ix_users_email", "users", ["email"], postgresql_concurrently=True)\n'
        '        op.drop_index("ix_users_old", table_name="users", postgresql_concurrently=True)\n'
        '        op.create_index("ix_users_c", "users", ["c"], postgresql_concurrently=True)\n'
    ) in fixed
    assert '        ["id"],\n        postgresql_not_valid=True,\n    )' in fixed
    assert 'op.execute("ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_user")' in fixed
    assert 'op.execute("ALTER TABLE shop.orders VALIDATE CONSTRAINT ck_orders_amount")' in fixed
    assert 'op.execute(sa.text("CREATE INDEX CONCURRENTLY ix_orders_at ON orders (created_at)"))' in fixed
    assert "REFERENCES shops (id) NOT VALID" in fixed
    assert (
        'autocommit_block():\n        op.execute("DROP INDEX CONCURRENTLY IF EXISTS ix_users_name")' in fixed
    )
    assert 'sa.ForeignKey("users.id"), nullable=True), inline_references=True)' in fixed
    assert _findings(path, tmp_path) == []


def test_show_fixes_previews_without_writing(tmp_path: Path) -> None:
    paths = _write(tmp_path, sql=SQL_UNSAFE, alembic=ALEMBIC_UNSAFE)
    originals = [p.read_text() for p in paths]
    code, stdout, _ = _run("--show-fixes", *map(str, paths))
    assert code == 1  # fixes pending
    assert "+CREATE INDEX CONCURRENTLY ix_users_email ON users (email);" in stdout
    assert "-CREATE INDEX ix_users_email ON users (email);" in stdout
    assert "+    with op.get_context().autocommit_block():" in stdout
    assert [p.read_text() for p in paths] == originals
    _run("--fix", *map(str, paths))
    code, stdout, _ = _run("--show-fixes", *map(str, paths))
    assert code == 0 and "+++" not in stdout


@pytest.mark.parametrize(
    "sql",
    [
        "BEGIN;\nCREATE INDEX ix_users_email ON users (email);\nCOMMIT;\n",  # CONCURRENTLY would fail there
        # needs a new step, not an edit
        "ALTER TABLE orders ADD COLUMN user_id bigint NOT NULL DEFAULT 0 REFERENCES users (id);\n",
    ],
)
def test_unfixable_statements_are_left_alone(tmp_path: Path, sql: str) -> None:
    (path,) = _write(tmp_path, sql=sql)
    code, _, stderr = _run("--fix", "--exit-zero", str(path))
    assert code == 0
    assert path.read_text() == sql
    assert "not fixable mechanically" in stderr


def test_sql_files_run_in_a_transaction_are_left_alone(tmp_path: Path) -> None:
    (path,) = _write(tmp_path, sql=SQL_UNSAFE)
    (tmp_path / "pyproject.toml").write_text("[tool.releasesafe]\nsql-in-transaction = true\n")
    code, _, stderr = _run("--fix", "--exit-zero", "--config", str(tmp_path / "pyproject.toml"), str(path))
    assert code == 0 and "not fixable mechanically" in stderr, stderr
    assert path.read_text() == SQL_UNSAFE


def test_fix_with_diff_touches_only_unreleased_migrations(tmp_path: Path) -> None:
    released = tmp_path / "001_released.sql"
    released.write_text("CREATE INDEX ix_users_a ON users (a);\n")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "release"], check=True)
    new = tmp_path / "002_new.sql"
    new.write_text("CREATE INDEX ix_users_b ON users (b);\n")
    code, _, stderr = _run("--fix", "--diff", "HEAD", str(tmp_path))
    assert code == 0, stderr
    assert new.read_text() == "CREATE INDEX CONCURRENTLY ix_users_b ON users (b);\n"
    assert released.read_text() == "CREATE INDEX ix_users_a ON users (a);\n"


def test_batch_and_computed_names_are_left_alone(tmp_path: Path) -> None:
    source = """
def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.create_index("ix_users_b", ["b"])
    op.create_foreign_key(NAME, "orders", "users", ["user_id"], ["id"])
"""
    (path,) = _write(tmp_path, alembic=source)
    before = path.read_text()
    _run("--fix", "--exit-zero", str(path))
    assert path.read_text() == before


def test_mysql_has_no_mechanical_fixes(tmp_path: Path) -> None:
    sql = "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);\n"
    (path,) = _write(tmp_path, sql=sql)
    code, _, stderr = _run("--fix", "--exit-zero", "--dialect", "mysql", str(path))
    assert code == 0
    assert "no mechanical fixes for mysql" in stderr
    assert path.read_text() == sql


def test_fixable_rules_are_marked_in_the_catalogue() -> None:
    rules = catalogue.load()
    assert {code for code, rule in rules.items() if rule.fixable} >= FIXABLE_RULES


# --- the fixed migrations run on a real Postgres -------------------------------------------------

PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SCHEMA_SQL = """
CREATE TABLE users (id bigint PRIMARY KEY, email text, token text, name text, c int);
CREATE TABLE shops (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, shop_id bigint, amount numeric, created_at timestamptz);
CREATE INDEX ix_users_old ON users (email);
CREATE INDEX ix_users_name ON users (name);
INSERT INTO users VALUES (1, 'a@example.com', 't1', 'a', 1);
INSERT INTO shops VALUES (1);
INSERT INTO orders VALUES (1, 1, 1, 10, now());
"""


@pytest.fixture
def pg_schema():
    """A scratch schema on the running Postgres with the tables the unsafe migrations touch."""
    psycopg = pytest.importorskip("psycopg")
    try:
        conn = psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"no Postgres at {PG_URL}: {error}")
    schema = f"rsrules_{uuid.uuid4().hex[:10]}"
    conn.execute(f"CREATE SCHEMA {schema}")
    conn.execute(f"SET search_path TO {schema}")
    for statement in filter(str.strip, SCHEMA_SQL.split(";\n")):
        conn.execute(statement)
    try:
        yield conn, schema
    finally:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")
        conn.close()


def _valid_constraints(conn) -> dict[str, bool]:
    rows = conn.execute(
        "SELECT conname, convalidated FROM pg_constraint WHERE connamespace = current_schema()::regnamespace"
    )
    return dict(rows.fetchall())


def test_fixed_sql_runs_on_postgres(tmp_path: Path, pg_schema) -> None:
    conn, _ = pg_schema
    (path,) = _write(tmp_path, sql=SQL_UNSAFE)
    _run("--fix", str(path))
    for statement in filter(str.strip, path.read_text().split(";\n")):
        conn.execute(statement)  # each in autocommit, as a migration tool that does not wrap the file
    constraints = _valid_constraints(conn)
    assert (
        constraints["fk_orders_user"]
        and constraints["orders_shop_id_fkey"]
        and constraints["ck_orders_amount"]
    )
    indexes = {
        r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
    }
    assert {"ix_users_email", "ux_users_token", "ix_users_name"} <= indexes and "ix_users_old" not in indexes


def test_fixed_alembic_runs_on_postgres(tmp_path: Path, pg_schema) -> None:
    sqlalchemy = pytest.importorskip("sqlalchemy")
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    conn, schema = pg_schema
    conn.execute(f"CREATE SCHEMA {schema}_shop")
    conn.execute(f"CREATE TABLE {schema}_shop.orders (id bigint PRIMARY KEY, amount numeric)")
    source = ALEMBIC_UNSAFE.replace('schema="shop"', f'schema="{schema}_shop"')
    (path,) = _write(tmp_path, alembic=source)
    _run("--fix", str(path))
    namespace: dict[str, object] = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)  # the test's own migration, not user code
    url = PG_URL.replace("postgresql://", "postgresql+psycopg://")
    engine = sqlalchemy.create_engine(url, connect_args={"options": f"-c search_path={schema}"})
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection)
            with context.begin_transaction(), Operations.context(context):
                namespace["upgrade"]()  # type: ignore[operator]
        constraints = _valid_constraints(conn)
        assert constraints["fk_orders_user"] and constraints["fk_orders_shop"]
        shop = conn.execute(
            f"SELECT convalidated FROM pg_constraint WHERE conname = 'ck_orders_amount'"
            f" AND connamespace = '{schema}_shop'::regnamespace"
        ).fetchone()
        assert shop == (True,)
    finally:
        engine.dispose()
        conn.execute(f"DROP SCHEMA {schema}_shop CASCADE")
