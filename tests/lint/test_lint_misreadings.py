"""Statements real histories contain that the front ends used to misread, each judged at its line."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from lint_helpers import lint_snippet

from pytest_releasesafe.findings import Finding

ROOT = Path(__file__).resolve().parents[2]
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


def at(findings: list[Finding]) -> set[tuple[int, str]]:
    return {(f.line, f.rule) for f in findings if f.rule != "RS002"}


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest_releasesafe", "lint", "--no-cache", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- renames ------------------------------------------------------------------------------------


def test_rename_without_column_keyword_is_a_column_rename_and_its_help_names_the_column(
    tmp_path: Path,
) -> None:
    (tmp_path / "V1__rename.sql").write_text(
        "SET lock_timeout = '1s';\nALTER TABLE person RENAME actor_id TO ap_id;\nALTER TABLE person RENAME TO people;\n"
    )
    result = cli("V1__rename.sql", "--format", "json", cwd=tmp_path)
    findings = json.loads(result.stdout)
    assert {(f["line"], f["rule"]) for f in findings} == {(2, "RS501"), (3, "RS502")}
    column = next(f for f in findings if f["rule"] == "RS501")
    assert "person.actor_id to ap_id" in column["message"]
    assert "add ap_id with the type of actor_id" in column["help"]
    assert "ALTER TABLE person DROP COLUMN actor_id" in column["help"]
    assert "RENAME TO actor_id" not in column["help"]


def test_rename_without_column_keyword_inside_op_execute_is_a_column_rename(tmp_path: Path) -> None:
    code = """
    def upgrade():
        op.execute("SET lock_timeout = '1s'")
        op.execute("ALTER TABLE person RENAME actor_id TO ap_id")
    """
    assert at(lint_snippet(tmp_path, code, "alembic", select=("RS501", "RS502"))) == {(11, "RS501")}


# --- inline constraints on ADD COLUMN -----------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        # parsed by sqlglot
        ("ALTER TABLE person ADD COLUMN org_id bigint DEFAULT 1 REFERENCES org(id);", {"RS201"}),
        ("ALTER TABLE person ADD COLUMN email text UNIQUE;", {"RS204"}),
        (
            "ALTER TABLE person ADD COLUMN a int, ADD COLUMN t bigint DEFAULT 2 REFERENCES team(id),"
            " ADD COLUMN slug text UNIQUE;",
            {"RS201", "RS204"},
        ),
        # an ADD CHECK makes sqlglot give up: the token classifier reads the same constraints
        (
            "ALTER TABLE person ADD CONSTRAINT c CHECK (x > 0) NOT VALID,"
            " ADD COLUMN t bigint DEFAULT 2 REFERENCES team(id), ADD COLUMN slug text UNIQUE;",
            {"RS201", "RS204"},
        ),
    ],
)
def test_inline_references_and_unique_on_add_column_are_constraints(
    tmp_path: Path, statement: str, expected: set[str]
) -> None:
    sql = f"SET lock_timeout = '1s';\n{statement}\n"
    findings = lint_snippet(tmp_path, sql, "sql", select=("RS201", "RS204"))
    assert at(findings) == {(2, code) for code in expected}


def test_inline_constraint_name_is_the_users_own(tmp_path: Path) -> None:
    for sql in (
        "ALTER TABLE person ADD COLUMN t bigint CONSTRAINT fk_team REFERENCES team(id) DEFAULT 3;\n",
        "ALTER TABLE person ADD CHECK (x > 0) NOT VALID, ADD COLUMN t bigint DEFAULT 3 CONSTRAINT fk_team"
        " REFERENCES team(id);\n",
    ):
        (finding,) = lint_snippet(tmp_path, sql, "sql", select=("RS201",))
        assert "fk_team" in finding.message, finding.message


def test_alembic_column_unique_true_builds_a_unique_constraint(tmp_path: Path) -> None:
    code = """
    def upgrade():
        op.add_column("person", sa.Column("slug", sa.Text(), unique=True))
    """
    assert at(lint_snippet(tmp_path, code, "alembic", select=("RS204",))) == {(10, "RS204")}


# --- locks of other statements ------------------------------------------------------------------


def test_drop_trigger_takes_access_exclusive_on_its_table(tmp_path: Path) -> None:
    sql = "BEGIN;\nDROP TRIGGER person_audit ON person;\nUPDATE person SET x = 1;\nCOMMIT;\n"
    findings = lint_snippet(tmp_path, sql, "sql", select=("RS602", "RS603"))
    assert at(findings) == {(2, "RS602"), (3, "RS603")}
    assert "ACCESS EXCLUSIVE" in next(f for f in findings if f.rule == "RS602").message


def test_lock_levels_the_rules_state_match_postgres() -> None:
    """DROP TRIGGER and DETACH PARTITION take ACCESS EXCLUSIVE, DROP STATISTICS only SHARE UPDATE
    EXCLUSIVE, ALTER DOMAIN ADD CONSTRAINT a SHARE lock on the tables using the domain."""
    psycopg = pytest.importorskip("psycopg")
    statements = {
        "DROP TRIGGER rsm_trg ON rsm_t": {("rsm_t", "AccessExclusiveLock")},
        "DROP STATISTICS rsm_st": {("rsm_t", "ShareUpdateExclusiveLock")},
        "ALTER TABLE rsm_p DETACH PARTITION rsm_p1": {
            ("rsm_p", "AccessExclusiveLock"),
            ("rsm_p1", "AccessExclusiveLock"),
        },
        "ALTER DOMAIN rsm_d ADD CONSTRAINT rsm_c CHECK (VALUE > 0)": {("rsm_dt", "ShareLock")},
        "ALTER DOMAIN rsm_d ADD CONSTRAINT rsm_c CHECK (VALUE > 0) NOT VALID": set(),
    }
    with psycopg.connect(PG_URL, connect_timeout=3) as conn:
        conn.execute(
            "CREATE TEMP TABLE rsm_t (id int, x int);"
            "CREATE FUNCTION pg_temp.rsm_f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;"
            "CREATE TRIGGER rsm_trg BEFORE INSERT ON rsm_t FOR EACH ROW EXECUTE FUNCTION pg_temp.rsm_f();"
            "CREATE STATISTICS rsm_st ON id, x FROM rsm_t;"
            "CREATE TEMP TABLE rsm_p (id int) PARTITION BY RANGE (id);"
            "CREATE TEMP TABLE rsm_p1 PARTITION OF rsm_p FOR VALUES FROM (0) TO (10);"
            "CREATE DOMAIN rsm_d AS int; CREATE TEMP TABLE rsm_dt (v rsm_d); INSERT INTO rsm_dt VALUES (1);"
        )
        conn.commit()
        try:
            for statement, expected in statements.items():
                conn.execute(statement)
                held = conn.execute(
                    "SELECT relation::regclass::text, mode FROM pg_locks WHERE locktype = 'relation'"
                    " AND pid = pg_backend_pid() AND relation::regclass::text LIKE 'rsm%'"
                ).fetchall()
                assert expected <= set(held), (statement, held)
                strong = {lock for lock in held if lock[1] != "AccessShareLock"}
                assert strong == expected, (statement, held)
                conn.rollback()
        finally:
            conn.rollback()
            conn.execute("DROP TABLE rsm_dt; DROP DOMAIN rsm_d")
            conn.commit()


def test_drop_statistics_is_understood(tmp_path: Path) -> None:
    findings = lint_snippet(tmp_path, "DROP STATISTICS IF EXISTS person_stats;\n", "sql")
    assert not findings, [f.message for f in findings]


@pytest.mark.parametrize(
    ("statement", "full"),
    [
        ("VACUUM (FULL FALSE) person;", False),
        ("VACUUM (FULL OFF, ANALYZE) person;", False),
        ("VACUUM (ANALYZE) person;", False),
        ("VACUUM (FULL) person;", True),
        ("VACUUM (FULL TRUE, VERBOSE) person;", True),
        ("VACUUM FULL person;", True),
    ],
)
def test_vacuum_full_false_is_not_vacuum_full(tmp_path: Path, statement: str, full: bool) -> None:
    findings = lint_snippet(tmp_path, statement + "\n", "sql", select=("RS405",))
    assert at(findings) == ({(1, "RS405")} if full else set())


def test_reindex_system_is_reported_for_review_never_advised_concurrently(tmp_path: Path) -> None:
    findings = lint_snippet(tmp_path, "REINDEX SYSTEM app;\n", "sql")
    assert [(f.line, f.rule) for f in findings] == [(1, "RS002")]
    assert "cannot run CONCURRENTLY" in findings[0].message
    assert "CONCURRENTLY;" not in findings[0].help


# --- Alembic: what the Python says -------------------------------------------------------------


def test_sa_text_params_is_literal_sql(tmp_path: Path) -> None:
    code = """
    def upgrade():
        op.execute("SET lock_timeout = '1s'")
        op.execute(sa.text("ALTER TABLE person ADD COLUMN legacy int NOT NULL").params(x=1))
    """
    assert at(lint_snippet(tmp_path, code, "alembic", select=("RS301", "RS002"))) == {(11, "RS301")}


def test_sqlalchemy_drop_sequence_element_is_a_sequence_drop(tmp_path: Path) -> None:
    code = """
    def upgrade():
        op.execute(sa.schema.DropSequence(sa.Sequence("person_id_seq")))
        op.get_bind().execute(sa.schema.DropSequence(sa.Sequence("legacy_seq"), if_exists=True))
    """
    findings = lint_snippet(tmp_path, code, "alembic", select=("RS518",))
    assert at(findings) == {(10, "RS518"), (11, "RS518")}
    assert "person_id_seq" in findings[0].message and "legacy_seq" in findings[1].message


def test_python_computed_server_default_is_an_unknown_default_not_a_missing_one(tmp_path: Path) -> None:
    code = """
    def upgrade():
        op.add_column("person", sa.Column("n", sa.Integer(), nullable=False, server_default=str(compute())))
    """
    findings = lint_snippet(tmp_path, code, "alembic", select=("RS301", "RS303"))
    assert at(findings) == {(10, "RS303")}
    assert findings[0].severity == "warning"


def test_unicode_prefixed_revision_ids_are_read(tmp_path: Path) -> None:
    code = """
    # file: a1_base.py
    revision = u'a1'
    down_revision = None
    def upgrade():
        pass
    def downgrade():
        pass
    # file: b2_next.py
    revision = u'b2'
    down_revision = u'a1'
    def upgrade():
        pass
    def downgrade():
        pass
    # file: c3_orphan.py
    revision = u'c3'
    down_revision = u'zz'
    def upgrade():
        pass
    def downgrade():
        pass
    """
    findings = lint_snippet(tmp_path, textwrap.dedent(code), "alembic", select=("RS805", "RS804"))
    assert [(Path(f.path).name, f.line, f.rule) for f in findings] == [("c3_orphan.py", 1, "RS805")]
    assert "Revision c3 has down_revision zz" in findings[0].message


# --- defaults and NOT NULL ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("default", "finding"),
    [
        ("now()", None),
        ("now(123)", "warning"),  # no now(integer): unknown, not guessed stable
        ("lower(1, 2)", "warning"),
        ("clock_timestamp()", "error"),
    ],
)
def test_default_with_an_unknown_function_signature_is_unknown_volatility(
    tmp_path: Path, default: str, finding: str | None
) -> None:
    sql = f"ALTER TABLE person ADD COLUMN ts timestamptz DEFAULT {default};\n"
    findings = lint_snippet(tmp_path, sql, "sql", select=("RS303",))
    assert [f.severity for f in findings] == ([finding] if finding else [])
    if finding == "warning":
        assert default in findings[0].message


def test_set_not_null_after_a_validated_not_null_check_is_the_safe_recipe(tmp_path: Path) -> None:
    sql = """
    SET lock_timeout = '1s';
    ALTER TABLE person ADD CONSTRAINT chk_mail CHECK ("email" IS NOT NULL) NOT VALID;
    ALTER TABLE person VALIDATE CONSTRAINT chk_mail;
    ALTER TABLE person ALTER COLUMN email SET NOT NULL;
    ALTER TABLE person ALTER COLUMN phone SET NOT NULL;
    """
    findings = lint_snippet(tmp_path, textwrap.dedent(sql).lstrip(), "sql", select=("RS302",))
    assert at(findings) == {(5, "RS302")}, "only phone, which no check proves, is scanned"
    code = """
    def upgrade():
        op.execute("ALTER TABLE person ADD CONSTRAINT person_email_nn CHECK (email IS NOT NULL) NOT VALID")
        with op.get_context().autocommit_block():
            op.execute("ALTER TABLE person VALIDATE CONSTRAINT person_email_nn")
            op.alter_column("person", "email", nullable=False)
    """
    assert not lint_snippet(tmp_path, code, "alembic", select=("RS302",))


# --- DO blocks ----------------------------------------------------------------------------------


def test_do_blocks_outside_a_transaction_are_transactions_of_their_own(tmp_path: Path) -> None:
    sql = """
    DO $$ BEGIN UPDATE person SET x = 1 WHERE id < 100; END $$;
    DO $$ BEGIN CREATE INDEX person_x ON person (x); END $$;
    """
    findings = lint_snippet(tmp_path, textwrap.dedent(sql).lstrip(), "sql", select=("RS702", "RS101"))
    assert at(findings) == {(2, "RS101")}, "the UPDATE does not share the second block's transaction"


# --- files and statements that cannot be read ---------------------------------------------------


def test_unparsable_py_with_def_upgrade_is_rs001_and_never_all_clear(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "b2_broken.py").write_text('revision = "b2"\ndef upgrade(:\n    op.drop_table("x")\n')
    (versions / "helpers.py").write_text("def upgrade_all(items):\n    return items\n")
    result = cli("versions", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "versions/b2_broken.py:2:13: RS001 [syntax-error]" in result.stdout
    assert "helpers.py" not in result.stdout and "All clear" not in result.stdout


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
@pytest.mark.parametrize(
    "statement",
    ["ALTER TABLE t ADD COLUMN (;", "ALTER TABLE t ADD COLUMN x int);", "CREATE INDEX ON t ((a);"],
)
def test_invalid_sql_statement_is_rs001_not_classified_from_its_first_words(
    tmp_path: Path, dialect: str, statement: str
) -> None:
    findings = lint_snippet(tmp_path, f"{statement}\nSELECT 1;\n", "sql", dialect=dialect)
    assert [(f.line, f.rule, f.severity) for f in findings] == [(1, "RS001", "error")]


def test_mysql_facts_the_new_rules_state_match_mariadb() -> None:
    """RS949 and RS947 say these ALTERs cannot run in place; RS947's recipe says its steps can."""
    pymysql = pytest.importorskip("pymysql")
    try:
        conn = pymysql.connect(host="127.0.0.1", port=3306, user="root", password="", database="test")
    except pymysql.err.OperationalError as error:
        pytest.skip(f"no MariaDB: {error}")
    refused = [
        "ALTER TABLE rsm_m ADD CHECK (a > 0), ALGORITHM=INPLACE",
        "ALTER TABLE rsm_m ADD COLUMN b int DEFAULT (a + 1), ALGORITHM=INPLACE",
        "ALTER TABLE rsm_m ADD COLUMN u varchar(36) DEFAULT (UUID()), ALGORITHM=INSTANT",
    ]
    accepted = [  # RS947's recipe, and what it leaves alone
        "ALTER TABLE rsm_m ADD COLUMN p varchar(36) NULL, ALGORITHM=INSTANT",
        "ALTER TABLE rsm_m ALTER COLUMN p SET DEFAULT (UUID()), ALGORITHM=INSTANT",
        "ALTER TABLE rsm_m ADD COLUMN t datetime DEFAULT (NOW()), ALGORITHM=INSTANT",
    ]
    with conn.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS rsm_m")
        cursor.execute("CREATE TABLE rsm_m (id int PRIMARY KEY, a int) ENGINE=InnoDB")
        cursor.execute("INSERT INTO rsm_m VALUES (1, 1), (2, 2)")
        try:
            for statement in refused:
                with pytest.raises(pymysql.err.MySQLError, match="not supported"):
                    cursor.execute(statement)
            for statement in accepted:
                cursor.execute(statement)
        finally:
            cursor.execute("DROP TABLE rsm_m")
    conn.close()


# --- MySQL types and renames, in MySQL's own spelling ---------------------------------------------


def test_mysql_rename_as_renames_the_table_not_a_column_named_as(tmp_path: Path) -> None:
    findings = lint_snippet(tmp_path, "ALTER TABLE person RENAME AS people;\n", "sql", dialect="mysql")
    assert (1, "RS502") in at(findings) and (1, "RS501") not in at(findings)
    (rename,) = [f for f in findings if f.rule == "RS502"]
    assert "Renaming table person to people" in rename.message
    assert "Table 'person' doesn't exist" in rename.message  # MySQL's error, not Postgres's


def test_mysql_text_and_integer_widths_are_real_type_changes_not_restatements(tmp_path: Path) -> None:
    """sqlglot's Postgres spelling made MEDIUMTEXT and LONGTEXT both TEXT, TINYINT SMALLINT."""
    sql = (
        "CREATE TABLE posts (id bigint(20) unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, body mediumtext,"
        " flag tinyint(1), at datetime);\n"
        "INSERT INTO posts (body) VALUES ('x');\n"
        "ALTER TABLE posts MODIFY body longtext;\n"
        "ALTER TABLE posts MODIFY flag smallint;\n"
        "ALTER TABLE posts MODIFY at timestamp NULL;\n"
        "ALTER TABLE posts MODIFY id bigint(20) unsigned NOT NULL AUTO_INCREMENT;\n"
    )
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "001_posts.sql").write_text(sql.split("INSERT")[0], encoding="utf-8")
    (tmp_path / "a" / "002_change.sql").write_text("INSERT" + sql.split("INSERT")[1], encoding="utf-8")
    done = cli("--dialect", "mysql", "--target-version", "8.0", "--select", "RS901", "--format", "json", "a",
               cwd=tmp_path)  # fmt: skip
    found = {(f["path"].rsplit("/", 1)[-1], f["line"]) for f in json.loads(done.stdout)}
    assert found == {("002_change.sql", 2), ("002_change.sql", 3), ("002_change.sql", 4)}, done.stdout


def test_mysql_recipes_keep_the_users_type_and_enum_values_as_written(tmp_path: Path) -> None:
    sql = (
        "ALTER TABLE person ADD COLUMN flag tinyint(1) NOT NULL;\n"
        "ALTER TABLE person ADD COLUMN state enum('draft','Live') NOT NULL;\n"
    )
    findings = [
        f for f in lint_snippet(tmp_path, sql, "sql", dialect="mysql", target_version=80) if f.rule == "RS301"
    ]
    assert [f.line for f in findings] == [1, 2]
    assert "ADD COLUMN flag TINYINT(1) NULL" in findings[0].help
    assert "ADD COLUMN state ENUM('draft', 'Live') NULL" in findings[1].help  # not ENUM('DRAFT', 'LIVE')
