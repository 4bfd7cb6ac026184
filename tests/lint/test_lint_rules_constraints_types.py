"""Rules RS103-RS105, RS201-RS207, RS302-RS305, RS401-RS407: version gates, the no-rewrite type table
(checked against a real Postgres), unknown values, and safe patterns that must stay silent."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import uuid
from importlib import resources
from pathlib import Path

import pytest
from lint_helpers import lint_snippet

from pytest_releasesafe import type_changes as tc

MY_RULES = (
    "RS103", "RS104", "RS105", "RS201", "RS202", "RS203", "RS204", "RS205", "RS206", "RS207",
    "RS302", "RS303", "RS304", "RS305", "RS401", "RS402", "RS403", "RS404", "RS405", "RS406", "RS407",
)  # fmt: skip
PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def rules_hit(tmp_path: Path, code: str, form: str, **config: object) -> list[tuple[str, str, int]]:
    findings = lint_snippet(tmp_path, code, form, select=config.pop("select", MY_RULES), **config)
    return [(f.rule, f.severity, f.line) for f in findings]


# --- the type table ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("VARCHAR(200)", tc.PgType("varchar", (200,))),
        ("character varying (20)", tc.PgType("varchar", (20,))),
        ("DECIMAL(12, 2)", tc.PgType("numeric", (12, 2))),
        ("TIMESTAMPTZ(3)", tc.PgType("timestamptz", (3,))),
        ("timestamp(3) with time zone", tc.PgType("timestamptz", (3,))),
        ("INTERVAL 3", tc.PgType("interval", (3,))),
        ("DOUBLE PRECISION", tc.PgType("float8")),
        ("MY_ENUM", None),
        ("BIGINT[]", None),
    ],
)
def test_sql_type_spellings(text: str, expected: tc.PgType | None) -> None:
    assert tc.parse_sql_type(text) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("sa.VARCHAR(length=100)", tc.PgType("varchar", (100,))),
        ("sa.String(200)", tc.PgType("varchar", (200,))),
        ("sa.String()", tc.PgType("varchar")),
        ("sa.Text()", tc.PgType("text")),
        ("sa.Numeric(precision=10, scale=2)", tc.PgType("numeric", (10, 2))),
        ("sa.Numeric(12)", tc.PgType("numeric", (12, 0))),
        ("sa.DateTime(timezone=True)", tc.PgType("timestamptz")),
        ("postgresql.TIMESTAMP(precision=3)", tc.PgType("timestamp", (3,))),
        ("sa.BigInteger()", tc.PgType("int8")),
        ("sa.Float(precision=24)", tc.PgType("float4")),
        ("postgresql.JSONB(astext_type=sa.Text())", tc.PgType("jsonb")),
        ("sa.Enum('a', 'b', name='kind')", None),
        ("make_type()", None),
    ],
)
def test_sqlalchemy_type_spellings(source: str, expected: tc.PgType | None) -> None:
    assert tc.parse_sqlalchemy_type(source) == expected


def _measured() -> list[list[str]]:
    data = resources.files("pytest_releasesafe") / "data" / "pg_facts_15.json"
    return json.loads(data.read_text())["type_changes"]


def _verdict(old: str, new: str, version: int) -> str:
    old_type, new_type = tc.parse_sql_type(old), tc.parse_sql_type(new)
    assert old_type is not None and new_type is not None, (old, new)
    outcome = tc.change_rewrites(old_type, new_type, version)
    return "no_rewrite" if outcome == tc.UTC_ONLY else outcome  # measured with TimeZone = UTC


def test_table_agrees_with_the_committed_measurements() -> None:
    measured = _measured()
    assert len(measured) >= 30
    assert {outcome for _, _, outcome in measured} == {"rewrite", "no_rewrite"}
    for old, new, outcome in measured:
        assert _verdict(old, new, 15) == outcome, f"{old} -> {new}"


def test_version_gates_of_the_table() -> None:
    ts, tstz = tc.PgType("timestamp"), tc.PgType("timestamptz")
    assert tc.change_rewrites(ts, tstz, 11) == tc.REWRITE
    assert tc.change_rewrites(ts, tstz, 12) == tc.UTC_ONLY
    assert tc.change_rewrites(tc.PgType("varchar", (10,)), tc.PgType("text"), 10) == tc.NO_REWRITE


def test_table_agrees_with_the_running_server() -> None:
    psycopg = pytest.importorskip("psycopg")
    try:
        conn = psycopg.connect(PG_URL, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"no Postgres at {PG_URL}: {error}")
    table = f"rsrules_probe_{uuid.uuid4().hex[:8]}"
    with conn:
        major = int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000
        for old, new, _ in _measured():
            with conn.transaction(force_rollback=True):
                conn.execute("SET LOCAL TimeZone = 'UTC'")
                conn.execute(f"CREATE TEMPORARY TABLE {table} (c {old})")
                conn.execute(f"INSERT INTO {table} VALUES (NULL)")
                before = conn.execute(f"SELECT pg_relation_filenode('{table}')").fetchone()[0]
                conn.execute(f"ALTER TABLE {table} ALTER COLUMN c TYPE {new}")
                after = conn.execute(f"SELECT pg_relation_filenode('{table}')").fetchone()[0]
            observed = "rewrite" if before != after else "no_rewrite"
            assert _verdict(old, new, major) == observed, f"{old} -> {new} on Postgres {major}"


# --- version gates in the rules ----------------------------------------------------------------


def test_constant_default_rewrites_only_before_pg11(tmp_path: Path) -> None:
    sql = "ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;\n"
    assert rules_hit(tmp_path, sql, "sql", target_version=10) == [("RS303", "error", 1)]
    assert rules_hit(tmp_path, sql, "sql", target_version=11) == []


def test_set_not_null_spared_by_a_validated_check_from_pg12(tmp_path: Path) -> None:
    sql = (
        "ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\n"
        "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n"
    )
    assert rules_hit(tmp_path, sql, "sql", target_version=12, select=("RS302",)) == []
    assert rules_hit(tmp_path, sql, "sql", target_version=11, select=("RS302",)) == [("RS302", "error", 2)]
    other_column = sql.replace("ALTER COLUMN email", "ALTER COLUMN phone")
    assert rules_hit(tmp_path, other_column, "sql", target_version=15, select=("RS302",)) == [
        ("RS302", "error", 2)
    ]


def test_timestamp_to_timestamptz_depends_on_version_and_timezone(tmp_path: Path) -> None:
    code = """
def upgrade():
    op.alter_column("events", "at", type_=sa.DateTime(timezone=True), existing_type=sa.DateTime())
"""
    assert rules_hit(tmp_path, code, "alembic", target_version=11) == [("RS401", "error", 10)]
    assert rules_hit(tmp_path, code, "alembic", target_version=15) == [("RS401", "warning", 10)]
    utc = {"RS401": {"timezone": "UTC"}}
    assert rules_hit(tmp_path, code, "alembic", target_version=15, rule_options=utc) == []
    in_file = code.replace("def upgrade():\n", "def upgrade():\n    op.execute(\"SET TimeZone = 'UTC'\")\n")
    assert rules_hit(tmp_path, in_file, "alembic", target_version=15) == []


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("ALTER TABLE users ALTER COLUMN name TYPE varchar(300);", []),  # old type unknown: read as widening
        ("ALTER TABLE users ALTER COLUMN name TYPE text;", []),
        ("ALTER TABLE users ALTER COLUMN price TYPE numeric(12, 2);", [("RS401", "warning", 1)]),
        ("ALTER TABLE users ALTER COLUMN id TYPE bigint;", [("RS401", "error", 1)]),
        ("ALTER TABLE users ALTER COLUMN name TYPE varchar(300) USING upper(name);", [("RS401", "error", 1)]),
        (
            "ALTER TABLE users ALTER COLUMN kind TYPE user_kind USING kind::user_kind;",
            [("RS401", "error", 1)],
        ),
        ("ALTER TABLE users ALTER COLUMN kind TYPE user_kind;", [("RS401", "warning", 1)]),
        ("ALTER TABLE users ALTER COLUMN name TYPE varchar(300) USING name::varchar(300);", []),
        ("ALTER TABLE users ALTER COLUMN n TYPE bigint USING n::bigint;", [("RS401", "error", 1)]),
    ],
)
def test_type_change_without_old_type(tmp_path: Path, statement: str, expected: list) -> None:
    assert rules_hit(tmp_path, statement + "\n", "sql", select=("RS401",)) == expected


# --- unknown values are never safe ---------------------------------------------------------------


def test_unknown_values_are_warnings(tmp_path: Path) -> None:
    code = """
def upgrade():
    op.create_foreign_key("fk_orders_user", "orders", "users", ["user_id"], ["id"], **options)
    op.alter_column("users", "email", nullable=flag)
    op.add_column("users", sa.Column("token", sa.Text(), server_default=default_token))
    op.drop_index("ix_users_email", table_name="users", **options)
"""
    assert rules_hit(tmp_path, code, "alembic") == [
        ("RS201", "warning", 10),
        ("RS302", "warning", 11),
        ("RS303", "warning", 12),
        ("RS103", "warning", 13),
    ]


# --- transactions ------------------------------------------------------------------------------


def test_validate_after_commit_or_autocommit_is_fine(tmp_path: Path) -> None:
    same = """
def upgrade():
    op.create_check_constraint("ck_amount", "orders", "amount > 0", postgresql_not_valid=True)
    op.add_column("orders", sa.Column("note", sa.Text()))
    op.execute("ALTER TABLE orders VALIDATE CONSTRAINT ck_amount")
"""
    assert rules_hit(tmp_path, same, "alembic") == [("RS203", "error", 12)]
    split = same.replace(
        '    op.execute("ALTER', '    with op.get_context().autocommit_block():\n        op.execute("ALTER'
    )
    assert rules_hit(tmp_path, split, "alembic") == []
    other_name = same.replace("VALIDATE CONSTRAINT ck_amount", "VALIDATE CONSTRAINT ck_older")
    assert rules_hit(tmp_path, other_name, "alembic") == []


def test_sql_file_run_in_one_transaction(tmp_path: Path) -> None:
    sql = (
        "ALTER TABLE orders ADD CONSTRAINT ck CHECK (amount > 0) NOT VALID;\n"
        "ALTER TABLE orders VALIDATE CONSTRAINT ck;\n"
    )
    assert rules_hit(tmp_path, sql, "sql") == []
    assert rules_hit(tmp_path, sql, "sql", sql_in_transaction=True) == [("RS203", "error", 2)]


# --- safe patterns stay silent -------------------------------------------------------------------

SAFE_ALEMBIC = [
    # a new table, its indexes, keys and constraints
    """
def upgrade():
    op.create_table(
        "invoices",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("customer_id", sa.BigInteger(), sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("total", sa.Numeric(12, 2), sa.Computed("net + tax")),
        sa.Column("data", postgresql.JSONB()),
    )
    op.create_index("ix_invoices_customer_id", "invoices", ["customer_id"], unique=True)
    op.create_foreign_key("fk_invoices_shop", "invoices", "shops", ["shop_id"], ["id"])
    op.create_check_constraint("ck_invoices_total", "invoices", "total >= 0")
    op.create_unique_constraint("uq_invoices_number", "invoices", ["number"])
    op.add_column("invoices", sa.Column("uid", sa.Uuid(), server_default=sa.text("gen_random_uuid()")))
    op.alter_column("invoices", "number", nullable=False, server_default=None)
""",
    # widening with existing_type, a constant default, NOT VALID adds
    """
def upgrade():
    op.alter_column("users", "name", type_=sa.String(255), existing_type=sa.String(length=100))
    op.alter_column("users", "bio", type_=sa.Text(), existing_type=sa.VARCHAR(500))
    op.add_column("users", sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.add_column("users", sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()))
    op.create_foreign_key("fk_users_org", "users", "orgs", ["org_id"], ["id"], postgresql_not_valid=True)
    op.create_check_constraint("ck_users_age", "users", "age >= 0", postgresql_not_valid=True)
""",
    # concurrent index work in autocommit_block; VALIDATE of a constraint added in an earlier migration
    """
def upgrade():
    with op.get_context().autocommit_block():
        op.create_index("ix_users_email", "users", ["email"], postgresql_concurrently=True)
        op.drop_index("ix_users_old", table_name="users", postgresql_concurrently=True)
        op.execute("REINDEX INDEX CONCURRENTLY ix_users_name")
    op.execute("ALTER TABLE users VALIDATE CONSTRAINT fk_users_org")
""",
    # a branch guarded for another database
    """
def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "mysql":
        op.create_foreign_key("fk_users_org", "users", "orgs", ["org_id"], ["id"])
        op.alter_column("users", "id", type_=sa.BigInteger(), existing_type=sa.Integer())
""",
    # comments and strings that merely mention DDL
    """
def upgrade():
    # ALTER TABLE users ALTER COLUMN email SET NOT NULL; later
    op.execute("COMMENT ON TABLE users IS 'ALTER TABLE users ADD CONSTRAINT x CHECK (a > 0)'")
    op.execute("SELECT 'VACUUM FULL users; CLUSTER users; DROP INDEX ix_a'")
    note = "ALTER TABLE users ADD PRIMARY KEY (id)"
""",
]

SAFE_SQL = [
    """
CREATE TABLE invoices (id bigserial PRIMARY KEY, data jsonb, customer_id bigint REFERENCES customers (id));
CREATE UNIQUE INDEX ix_invoices_customer ON invoices (customer_id);
ALTER TABLE invoices ADD CONSTRAINT ck_total CHECK (total >= 0);
ALTER TABLE invoices ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE invoices ALTER COLUMN customer_id SET NOT NULL;
""",
    """
ALTER TABLE users ALTER COLUMN name TYPE varchar(255);
ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN joined_at timestamptz DEFAULT now();
ALTER TABLE users ADD CONSTRAINT fk_users_org FOREIGN KEY (org_id) REFERENCES orgs (id) NOT VALID;
ALTER TABLE users ADD CONSTRAINT ck_users_age CHECK (age >= 0) NOT VALID;
CREATE INDEX CONCURRENTLY ix_users_email ON users (email);
DROP INDEX CONCURRENTLY IF EXISTS ix_users_old;
""",
    """
-- DROP INDEX ix_users_email; VACUUM FULL users;
ALTER TABLE users VALIDATE CONSTRAINT fk_users_org;
SELECT 'ALTER TABLE users ALTER COLUMN id TYPE bigint';
""",
]


@pytest.mark.parametrize("code", SAFE_ALEMBIC, ids=[f"alembic{i}" for i in range(len(SAFE_ALEMBIC))])
def test_safe_alembic_patterns_are_silent(tmp_path: Path, code: str) -> None:
    assert rules_hit(tmp_path, code, "alembic") == []


@pytest.mark.parametrize("sql", SAFE_SQL, ids=[f"sql{i}" for i in range(len(SAFE_SQL))])
def test_safe_sql_patterns_are_silent(tmp_path: Path, sql: str) -> None:
    assert rules_hit(tmp_path, sql, "sql") == []


def test_mysql_foreign_key_rules(tmp_path: Path) -> None:
    inline = "ALTER TABLE orders ADD COLUMN user_id bigint REFERENCES users (id);\n"
    assert rules_hit(tmp_path, inline, "sql", dialect="mysql", target_version=80) == []  # MySQL ignores it
    explicit = "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);\n"
    findings = lint_snippet(tmp_path, explicit, "sql", dialect="mysql", target_version=80, select=("RS201",))
    assert [f.rule for f in findings] == ["RS201"]
    assert "ALGORITHM=COPY" in findings[0].message and "foreign_key_checks = 0" in findings[0].help


# --- what the messages claim, checked on a real server ----------------------------------------------

LIVE_SETUP = """
CREATE TABLE users (id bigint PRIMARY KEY, email text, name varchar(100));
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, amount numeric, during tstzrange);
CREATE INDEX ix_users_email ON users (email);
INSERT INTO users VALUES (1, 'a@example.com', 'a');
INSERT INTO orders VALUES (1, 1, 5, NULL);
"""

# (rule, statement, table whose lock is checked, strongest lock the statement takes on it, rewrites?)
LIVE_CLAIMS = [
    ("RS103", "DROP INDEX ix_users_email", "users", "AccessExclusiveLock", False),
    ("RS104", "REINDEX INDEX ix_users_email", "users", "ShareLock", False),
    ("RS201", "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id)", "users",
     "ShareRowExclusiveLock", False),
    ("RS202", "ALTER TABLE orders ADD CONSTRAINT ck CHECK (amount > 0)", "orders", "AccessExclusiveLock", False),
    ("RS204", "ALTER TABLE users ADD CONSTRAINT uq UNIQUE (email)", "users", "AccessExclusiveLock", False),
    ("RS205", "ALTER TABLE orders DROP CONSTRAINT orders_pkey, ADD PRIMARY KEY (id, user_id)", "orders",
     "AccessExclusiveLock", False),
    ("RS206", "ALTER TABLE orders ADD CONSTRAINT ex EXCLUDE USING gist (during WITH &&)", "orders",
     "AccessExclusiveLock", False),
    ("RS302", "ALTER TABLE users ALTER COLUMN email SET NOT NULL", "users", "AccessExclusiveLock", False),
    ("RS303", "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()", "users", "AccessExclusiveLock",
     True),
    ("RS401", "ALTER TABLE users ALTER COLUMN id TYPE numeric", "users", "AccessExclusiveLock", True),
    ("RS402", "ALTER TABLE orders ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY", "orders",
     "AccessExclusiveLock", True),
    ("RS404", "ALTER TABLE orders SET UNLOGGED", "orders", "AccessExclusiveLock", True),
    ("RS406", "CLUSTER users USING users_pkey", "users", "AccessExclusiveLock", True),
]  # fmt: skip

# The safe forms the rules recommend: weaker locks, no rewrite.
LIVE_SAFE = [
    ("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID", "users",
     "ShareRowExclusiveLock", False),
    ("ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true", "users", "AccessExclusiveLock", False),
    ("ALTER TABLE users ALTER COLUMN name TYPE varchar(300)", "users", "AccessExclusiveLock", False),
]  # fmt: skip

_LOCK_RANK = [
    "AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock",
    "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock",
]  # fmt: skip


@pytest.fixture
def live_pg():
    psycopg = pytest.importorskip("psycopg")
    try:
        conn = psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"no Postgres at {PG_URL}: {error}")
    schema = f"rsrules_{uuid.uuid4().hex[:10]}"
    conn.execute(f"CREATE SCHEMA {schema}")
    conn.execute(f"SET search_path TO {schema}")
    for statement in filter(str.strip, LIVE_SETUP.split(";\n")):
        conn.execute(statement)
    try:
        yield conn
    finally:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")
        conn.close()


def _observe(conn, statement: str, table: str) -> tuple[str, bool]:
    """The strongest lock `statement` holds on `table` inside its transaction, and whether it rewrote it."""
    with conn.transaction(force_rollback=True):
        before = conn.execute("SELECT pg_relation_filenode(%s::regclass)", (table,)).fetchone()[0]
        conn.execute(statement)
        modes = [
            row[0]
            for row in conn.execute(
                "SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND relation = %s::regclass", (table,)
            )
        ]
        after = conn.execute("SELECT pg_relation_filenode(%s::regclass)", (table,)).fetchone()[0]
    return max(modes, key=_LOCK_RANK.index), before != after


@pytest.mark.parametrize(
    ("rule", "statement", "table", "lock", "rewrites"), LIVE_CLAIMS, ids=[c[0] for c in LIVE_CLAIMS]
)
def test_claims_hold_on_postgres(
    tmp_path: Path, live_pg, rule: str, statement: str, table: str, lock: str, rewrites: bool
) -> None:
    assert rule in [code for code, _, _ in rules_hit(tmp_path, statement + ";\n", "sql")]
    assert _observe(live_pg, statement, table) == (lock, rewrites)


@pytest.mark.parametrize(("statement", "table", "lock", "rewrites"), LIVE_SAFE)
def test_safe_forms_hold_on_postgres(
    tmp_path: Path, live_pg, statement: str, table: str, lock: str, rewrites: bool
) -> None:
    assert rules_hit(tmp_path, statement + ";\n", "sql") == []
    assert _observe(live_pg, statement, table) == (lock, rewrites)


# Statements whose recipe (the SQL code lines of the finding's help) must run as written on the
# LIVE_SETUP schema: advice that fails on a real server is advice nobody can follow.
RECIPE_CASES = [
    ("RS101", "CREATE INDEX ix_orders_user ON orders (user_id)"),
    ("RS103", "DROP INDEX ix_users_email"),
    ("RS104", "REINDEX INDEX ix_users_email"),
    ("RS104", "REINDEX TABLE users"),
    ("RS201", "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id)"),
    ("RS202", "ALTER TABLE orders ADD CONSTRAINT ck CHECK (amount > 0)"),
    ("RS204", "ALTER TABLE users ADD CONSTRAINT uq UNIQUE (email)"),
    ("RS205", "ALTER TABLE orders DROP CONSTRAINT orders_pkey, ADD PRIMARY KEY (id, user_id)"),
    ("RS302", "ALTER TABLE users ALTER COLUMN email SET NOT NULL"),
    ("RS303", "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()"),
    ("RS401", "ALTER TABLE users ALTER COLUMN id TYPE numeric"),
    ("RS502", "ALTER TABLE users RENAME TO people"),
    ("RS511", "ALTER TABLE users DROP COLUMN name"),
]  # fmt: skip


def _recipe_statements(help_text: str) -> list[str]:
    """The SQL of a help's indented code block, comments dropped and batch bounds filled in."""
    code = [line.split("--")[0] for line in help_text.splitlines() if line.startswith("    ")]
    sql = " ".join(code).replace(":lo", "0").replace(":hi", "1000")
    return [statement.strip() for statement in sql.split(";") if statement.strip()]


@pytest.mark.parametrize(
    ("rule", "statement"), RECIPE_CASES, ids=[f"{r}-{s.split()[0]}" for r, s in RECIPE_CASES]
)
def test_sql_recipes_run_on_postgres(tmp_path: Path, live_pg, rule: str, statement: str) -> None:
    (finding,) = lint_snippet(tmp_path, statement + ";\n", "sql", select=(rule,))
    recipe = _recipe_statements(finding.help)
    assert recipe, finding.help
    for step in recipe:
        live_pg.execute(step)  # autocommit, like a migration that runs outside a transaction


def test_committed_facts_match_the_running_server() -> None:
    """`lint/gen_pg_facts.py --check`: volatility, binary casts and measured type changes are current."""
    psycopg = pytest.importorskip("psycopg")
    try:
        with psycopg.connect(PG_URL, connect_timeout=3) as conn:
            major = int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000
    except psycopg.OperationalError as error:
        pytest.skip(f"no Postgres at {PG_URL}: {error}")
    if not (resources.files("pytest_releasesafe") / "data" / f"pg_facts_{major}.json").is_file():
        pytest.skip(f"no committed facts for Postgres {major}")
    script = Path(__file__).resolve().parents[2] / "lint" / "gen_pg_facts.py"
    done = subprocess.run(
        [sys.executable, str(script), "--url", PG_URL, "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("statement", "rows_checked"),
    [
        ("ALTER TABLE users ADD COLUMN score int CHECK (probe(score))", 3),  # RS202: inline CHECK scans
        ("ALTER TABLE users ADD CONSTRAINT ck CHECK (probe(id::int))", 3),  # RS202
        ("ALTER TABLE users ADD CONSTRAINT ck CHECK (probe(id::int)) NOT VALID", 0),  # the safe form
    ],
)
def test_check_scans_counted_on_postgres(tmp_path: Path, live_pg, statement: str, rows_checked: int) -> None:
    """A CHECK calling a counting function shows how many existing rows the statement checked."""
    live_pg.execute("INSERT INTO users VALUES (2, 'b@example.com', 'b'), (3, 'c@example.com', 'c')")
    live_pg.execute("CREATE SEQUENCE probe_calls")
    live_pg.execute(
        "CREATE FUNCTION probe(value int) RETURNS boolean LANGUAGE plpgsql AS"
        " $$ BEGIN PERFORM nextval('probe_calls'); RETURN true; END $$"
    )
    live_pg.execute(statement)
    calls = live_pg.execute(
        "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM probe_calls"
    ).fetchone()[0]
    assert calls == rows_checked
    flagged = [code for code, _, _ in rules_hit(tmp_path, statement + ";\n", "sql")]
    assert flagged == (["RS202"] if rows_checked else [])


def _seq_scans(conn, table: str) -> int:
    conn.execute("SELECT pg_stat_force_next_flush()")
    conn.execute("SELECT pg_stat_clear_snapshot()")
    row = conn.execute(
        "SELECT seq_scan FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = %s",
        (table,),
    ).fetchone()
    return row[0]


@pytest.mark.parametrize(
    ("statement", "scans"),
    [
        ("ALTER TABLE orders ADD COLUMN shop_id bigint REFERENCES users (id)", 0),  # all NULL: no validation
        ("ALTER TABLE orders ADD COLUMN shop_id bigint DEFAULT 1 REFERENCES users (id)", 1),  # RS201
        ("ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id)", 1),  # RS201
        ("ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID", 0),  # the safe form
    ],
)
def test_foreign_key_scans_counted_on_postgres(tmp_path: Path, live_pg, statement: str, scans: int) -> None:
    """pg_stat_user_tables.seq_scan of the referencing table shows whether the key was validated by a scan."""
    before = _seq_scans(live_pg, "orders")
    live_pg.execute(statement)
    assert _seq_scans(live_pg, "orders") - before == scans
    flagged = [code for code, _, _ in rules_hit(tmp_path, statement + ";\n", "sql")]
    assert flagged == (["RS201"] if scans else [])


@pytest.mark.parametrize("with_recipe", [False, True])
def test_set_not_null_scan_counted_on_postgres(tmp_path: Path, live_pg, with_recipe: bool) -> None:
    """RS302's recipe: after a validated CHECK (email IS NOT NULL), SET NOT NULL scans nothing (PG >= 12)."""
    if int(live_pg.execute("SHOW server_version_num").fetchone()[0]) < 120000:
        pytest.skip("the recipe needs Postgres 12 or later")
    migration = ""
    if with_recipe:
        live_pg.execute(
            "ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID"
        )
        migration = "ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\n"
        live_pg.execute(migration)
    before = _seq_scans(live_pg, "users")
    live_pg.execute("ALTER TABLE users ALTER COLUMN email SET NOT NULL")
    assert _seq_scans(live_pg, "users") - before == (0 if with_recipe else 1)
    migration += "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n"
    assert [code for code, _, _ in rules_hit(tmp_path, migration, "sql")] == (
        [] if with_recipe else ["RS302"]
    )


def test_default_volatility_known_and_unknown(tmp_path: Path) -> None:
    sql = (
        "ALTER TABLE t ADD COLUMN a uuid DEFAULT uuid_generate_v4();\n"  # uuid-ossp: known volatile
        "ALTER TABLE t ADD COLUMN b text DEFAULT app.make_code();\n"  # user function: unknown, a warning
        "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT statement_timestamp();\n"  # stable: evaluated once
        "ALTER TABLE t ADD COLUMN d text DEFAULT 'random()';\n"  # a string, not a call
    )
    assert rules_hit(tmp_path, sql, "sql", select=("RS303",)) == [
        ("RS303", "error", 1),
        ("RS303", "warning", 2),
    ]


def test_primary_key_replaced_in_alembic_recipe_drops_the_old_key_in_the_attach_step(tmp_path: Path) -> None:
    history = """
    # file: a1_events.py
    from alembic import op
    import sqlalchemy as sa
    revision = "a1"
    down_revision = None
    def upgrade():
        op.execute("CREATE TABLE events (id bigint CONSTRAINT pk_events PRIMARY KEY, tenant int NOT NULL)")
    def downgrade():
        op.drop_table("events")
    # file: b2_tenant_key.py
    from alembic import op
    revision = "b2"
    down_revision = "a1"
    def upgrade():
        op.drop_constraint("pk_events", "events", type_="primary")
        op.create_primary_key("pk_events_tenant", "events", ["tenant", "id"])
    def downgrade():
        pass
    """
    (finding,) = lint_snippet(tmp_path, textwrap.dedent(history), "alembic", select=("RS205",))
    assert finding.path.endswith("b2_tenant_key.py") and finding.line == 6
    assert (
        'op.execute("ALTER TABLE events DROP CONSTRAINT pk_events, ADD CONSTRAINT pk_events_tenant'
        ' PRIMARY KEY USING INDEX pk_events_tenant_idx")' in finding.help
    )
