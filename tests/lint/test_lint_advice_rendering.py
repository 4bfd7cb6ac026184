"""Every finding's message and help, as a user reads them, is finished and right for its dialect.

Renders each rule's findings for every bad example in the catalogue (Alembic and SQL), under every
dialect the rule applies to, and fails on text a user could not paste: an unfilled `{field}`, a
`<table>`-style stand-in, `None` glued into a name, Postgres-only syntax in MySQL advice, Alembic
arguments in advice for a plain .sql file, or a sequence proposed for a generated column.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lint_helpers import lint_snippet

from pytest_releasesafe import catalogue
from pytest_releasesafe.findings import Finding

RULES = catalogue.load()

UNFILLED_FIELD = re.compile(r"\{[a-z_]+\}")
STAND_IN = re.compile(r"<[a-z][a-z_ ]*>")  # `<table>`, `<new type>`, `<previous tag>`
NONE_IN_NAME = re.compile(r"\bNone_|_None\b|[\"']None[\"']|\bRevision None\b")
POSTGRES_ONLY = re.compile(
    r"CONCURRENTLY|NOT VALID|VALIDATE CONSTRAINT|postgresql_|SET LOCAL|USING INDEX|ON CONFLICT|IS DISTINCT FROM"
    r"|::|\bPostgres\b|\bPG\b"
)
# Postgres's error texts: a MySQL user would see "Unknown column" / "Table ... doesn't exist".
POSTGRES_ERROR_TEXT = re.compile(r'"(?:column|relation) [^"]* does not exist"')

CASES = [
    pytest.param(rule, example, dialect, id=f"{rule.code}-bad{index}-{example.form}-{dialect}")
    for rule in RULES.values()
    if not rule.engine
    for index, example in enumerate(rule.examples)
    if example.bad
    for dialect in sorted({example.dialect} | ({"mysql"} & set(rule.dialects)))
]


def problems_in(finding: Finding, dialect: str, form: str) -> list[str]:
    found = []
    for part, text in (("message", finding.message), ("help", finding.help)):
        found += [f"{part}: unfilled {m}" for m in UNFILLED_FIELD.findall(text)]
        found += [f"{part}: stand-in {m}" for m in STAND_IN.findall(text)]
        found += [f"{part}: None in a name ({m})" for m in NONE_IN_NAME.findall(text)]
    if dialect == "mysql":
        found += [f"help: Postgres-only {m!r} under MySQL" for m in POSTGRES_ONLY.findall(finding.help)]
        found += [
            f"message: Postgres error text {m} under MySQL"
            for m in POSTGRES_ERROR_TEXT.findall(finding.message)
        ]
    if form == "sql":
        found += [
            f"help: Alembic-only {m!r} for a .sql file"
            for m in re.findall(r"existing_type=|\bop\.\w+\(", finding.message + finding.help)
        ]
    if finding.rule == "RS402" and "generated column" in finding.message:
        found += [
            f"help: proposes a sequence ({m})"
            for m in re.findall(r"(?i)sequence|nextval|serial", finding.help)
        ]
    return found


@pytest.mark.parametrize(("rule", "example", "dialect"), CASES)
def test_bad_example_advice_is_finished_and_dialect_correct(
    tmp_path: Path, rule: catalogue.Rule, example: catalogue.Example, dialect: str
) -> None:
    settings: dict[str, object] = {"dialect": dialect, "select": (rule.code,)}
    if example.target_version is not None and dialect == example.dialect:
        settings["target_version"] = example.target_version
    elif dialect == "mysql":
        settings["target_version"] = 80
    findings = [
        f for f in lint_snippet(tmp_path, example.code, example.form, **settings) if f.rule == rule.code
    ]
    if dialect == example.dialect:
        assert findings, "the bad example yields its finding"
    problems = [p for f in findings for p in problems_in(f, dialect, example.form)]
    assert not problems, "\n".join([*problems, "", *(f"{f.message}\n{f.help}" for f in findings)])


def test_concurrent_index_advice_keeps_unique_using_desc_include_and_where(tmp_path: Path) -> None:
    sql = "CREATE UNIQUE INDEX ix_events_recent ON events USING btree (created_at DESC, kind) INCLUDE (payload) WHERE deleted_at IS NULL;"
    (finding,) = lint_snippet(tmp_path, sql, "sql", select=("RS101",))
    assert (
        "CREATE UNIQUE INDEX CONCURRENTLY ix_events_recent ON events USING btree (created_at DESC, kind) "
        "INCLUDE (payload) WHERE deleted_at IS NULL;" in finding.help
    )


def test_concurrent_index_advice_for_alembic_keeps_every_argument_of_the_call(tmp_path: Path) -> None:
    code = """
    def upgrade():
        op.create_index(
            "ix_events_recent",
            "events",
            [sa.text("created_at DESC"), "kind"],
            unique=True,
            postgresql_where=sa.text("deleted_at IS NULL"),
            postgresql_include=["payload"],
        )
    """
    (finding,) = lint_snippet(tmp_path, code, "alembic", select=("RS101",))
    call = next(line.strip() for line in finding.help.splitlines() if "op.create_index(" in line)
    assert call == (
        "op.create_index('ix_events_recent', 'events', [sa.text('created_at DESC'), 'kind'], unique=True, "
        "postgresql_where=sa.text('deleted_at IS NULL'), postgresql_include=['payload'], postgresql_concurrently=True)"
    )


def test_unnamed_foreign_key_on_a_computed_table_gets_no_made_up_name(tmp_path: Path) -> None:
    code = """
    def upgrade():
        op.create_foreign_key(fk_name, Dataset.__tablename__, Experiment.__tablename__, ["experiment_id"], ["experiment_id"])
    """
    (finding,) = lint_snippet(tmp_path, code, "alembic", select=("RS201",))
    text = finding.message + finding.help
    assert "None" not in text and "<" not in text
    assert "op.create_foreign_key(" not in finding.help  # no code with names we do not know


def test_mysql_foreign_key_advice_references_the_users_own_columns(tmp_path: Path) -> None:
    code = """
    def upgrade():
        with op.batch_alter_table("schedule_alias_ref") as batch_op:
            batch_op.create_foreign_key("sar_dag_fkey", "dag", ["dag_id"], ["dag_id"], ondelete="CASCADE")
    """
    (finding,) = lint_snippet(
        tmp_path, code, "alembic", select=("RS201",), dialect="mysql", target_version=80
    )
    assert (
        'op.create_foreign_key("sar_dag_fkey", "schedule_alias_ref", "dag", ["dag_id"], ["dag_id"])'
        in finding.help
    )


def test_mysql_backfill_advice_uses_the_users_set_clause_in_mysql_syntax(tmp_path: Path) -> None:
    findings = lint_snippet(
        tmp_path,
        "UPDATE accounts SET plan = 'free';",
        "sql",
        select=("RS701",),
        dialect="mysql",
        target_version=80,
    )
    (finding,) = findings
    assert (
        "UPDATE accounts SET plan = 'free' WHERE id > :last AND id <= :last + 1000 AND NOT (plan <=> 'free');"
        in finding.help
    )


def test_type_change_in_sql_never_asks_for_alembics_existing_type(tmp_path: Path) -> None:
    findings = lint_snippet(
        tmp_path, "ALTER TABLE orders ALTER COLUMN total TYPE bigint;", "sql", select=("RS401",)
    )
    (finding,) = findings
    assert "existing_type" not in finding.message + finding.help


def test_advice_for_names_computed_in_a_loop_shows_no_code_with_unknown_names(tmp_path: Path) -> None:
    code = """
    names = {"columns": "column_name", "metrics": "metric_name"}

    def upgrade():
        for table, column in names.items():
            with op.batch_alter_table(table) as batch_op:
                batch_op.create_unique_constraint(f"uq_{table}_{column}", [column, "datasource_id"])
                batch_op.create_foreign_key(None, "datasources", [column], ["id"])
    """
    for dialect in ("postgresql", "mysql"):
        findings = lint_snippet(
            tmp_path, code, "alembic", dialect=dialect, target_version=80 if dialect == "mysql" else 15
        )
        assert {"RS105", "RS201"} <= {f.rule for f in findings}
        for finding in findings:
            code_lines = [line for line in finding.help.splitlines() if line.startswith("    ")]
            assert not [line for line in code_lines if "not known statically" in line], finding.help
            assert not problems_in(finding, dialect, "alembic"), finding.message + finding.help
