"""Property: whatever is in the migration folder, `releasesafe lint` reports, never crashes.

Generated Alembic and SQL files (random op calls, statements built from fragments, junk bytes, odd
encodings and line endings) go through the real CLI, in-process and, for a sample, as a subprocess:
never a traceback, the exit code is 0 (clean), 1 (findings) or 2 (the linter failed on a file,
reported as RS005), and the report is always written and complete. Bounded and derandomized so
CI runs it in seconds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_releasesafe.cli import main
from pytest_releasesafe.frontends import sql_chunks
from pytest_releasesafe.frontends.sql import Placement, SqlState, parse_sql

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

NAMES = st.sampled_from(["users", "orders", '"Odd Name"', "s.t", "x" * 70, "", "1bad", "é"])
SQL_FRAGMENTS = [
    "CREATE INDEX ix_{n} ON {n} (a)",
    "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix ON {n} (a, lower(b))",
    "DROP INDEX ix_{n}",
    "ALTER TABLE {n} ADD COLUMN c int NOT NULL DEFAULT now()",
    "ALTER TABLE {n} ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES {n} (id)",
    "ALTER TABLE {n} ADD % CONSTRAINT c PRIMARY KEY (a)",
    "ALTER TABLE {n} ALTER COLUMN a TYPE bigint",
    "ALTER TABLE {n} RENAME TO {n}2",
    "ALTER TYPE mood ADD VALUE 'meh'",
    "UPDATE {n} SET a = 1",
    "DELETE FROM {n} WHERE id IN (SELECT id FROM {n} LIMIT 10)",
    "INSERT INTO {n} (a, b) VALUES (1, 'x;y'), (2, $$z$$)",
    "BEGIN",
    "COMMIT",
    "SET lock_timeout = '5s'",
    "DO $$ BEGIN EXECUTE 'DROP TABLE ' || 'x'; END $$",
    "CREATE FUNCTION f() RETURNS int AS $b$ SELECT 1; $b$ LANGUAGE sql",
    "SELECT " + "(" * 300 + "1" + ")" * 300,
    "VACUUM FULL {n}",
    "REINDEX TABLE {n}",
    "-- +goose Up",
    "-- +goose Down",
    "-- migrate:up",
    "-- releasesafe: ignore[RS101] reason",
    "-- releasesafe: ignore[RS999]",
    "/* unterminated comment",
    "'unterminated string",
    "\\set ON_ERROR_STOP on",
    "SELEC * FORM",
]
ALEMBIC_CALLS = [
    "op.create_index('ix', {n!r}, ['a'])",
    "op.drop_column({n!r}, 'c')",
    "op.add_column({n!r}, sa.Column('c', sa.Integer(), nullable=False))",
    "op.execute({sql!r})",
    "op.execute(sa.text({sql!r}))",
    "op.alter_column({n!r}, 'c', type_=sa.BigInteger())",
    "op.rename_table({n!r}, 'x')",
    "with op.batch_alter_table({n!r}) as b:\n        b.drop_column('c')",
    "with op.get_context().autocommit_block():\n        op.create_index('ix', {n!r}, ['a'], postgresql_concurrently=True)",
    "op.create_foreign_key('fk', {n!r}, 'users', ['a'], ['id'])",
    "x = " + ".".join(["a"] * 1200),
    "x = " + "+".join(["'a'"] * 600),
    "op.execute(f'DROP TABLE {{name}}')",
    "op.drop_table(*names())",
    "if context.get_context().dialect.name == 'postgresql':\n        op.drop_table({n!r})",
]


@st.composite
def sql_text(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 8))):
        fragment = draw(st.sampled_from(SQL_FRAGMENTS)).replace("{n}", draw(NAMES))
        parts.append(fragment + draw(st.sampled_from([";\n", "\n", ";", " ; ", ";\r\n", "\n\n"])))
    if draw(st.booleans()):
        parts.insert(draw(st.integers(0, len(parts))), draw(st.text(max_size=40)))
    return "".join(parts)


@st.composite
def alembic_text(draw: st.DrawFn) -> str:
    lines = ["from alembic import op", "import sqlalchemy as sa", f"revision = {draw(st.text(max_size=8))!r}"]
    lines.append(
        draw(st.sampled_from(["down_revision = None", "down_revision = ('a', 'b')", "down_revision = x"]))
    )
    lines.append("\ndef upgrade():")
    for _ in range(draw(st.integers(0, 6))):
        call = draw(st.sampled_from(ALEMBIC_CALLS))
        lines.append("    " + call.format(n=draw(NAMES), sql=draw(sql_text())))
    if draw(st.booleans()):
        lines.append("    pass")
    if draw(st.booleans()):
        lines.append(
            "\ndef downgrade():\n    " + draw(st.sampled_from(["pass", "raise NotImplementedError", "op.("]))
        )
    return "\n".join(lines) + "\n"


@st.composite
def file_bytes(draw: st.DrawFn, text: st.SearchStrategy[str]) -> bytes:
    body = draw(text)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "crlf", "junk"]))
    if encoding == "crlf":
        return body.replace("\n", "\r\n").encode("utf-8")
    if encoding == "junk":
        return body.encode("utf-8") + draw(st.binary(max_size=64))
    return body.encode(encoding, errors="replace")


FILES = st.lists(
    st.one_of(
        st.tuples(st.just(".sql"), file_bytes(sql_text())),
        st.tuples(st.just(".py"), file_bytes(alembic_text())),
    ),
    min_size=1,
    max_size=5,
)


def write_files(folder: Path, files: list[tuple[str, bytes]]) -> None:
    versions = folder / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    for index, (suffix, data) in enumerate(files):
        (versions / f"{index:03}_m{suffix}").write_bytes(data)


def check_outcome(code: int, report: Path, fmt: str) -> None:
    assert code in (0, 1, 2)
    text = report.read_text(encoding="utf-8")
    if fmt == "json":
        found = [(f["rule"], f["severity"]) for f in json.loads(text)]
    else:
        level = {"error": "error", "warning": "warning", "note": "info"}
        found = [(r["ruleId"], level[r["level"]]) for r in json.loads(text)["runs"][0]["results"]]
    rules = [rule for rule, _ in found]
    assert (code == 2) == ("RS005" in rules), found  # exit 2 exactly when the linter failed on a file
    if code != 2:  # otherwise 1 exactly when something at or above the default fail level was found
        assert (code == 1) == any(severity in ("error", "warning") for _, severity in found), found


@SETTINGS
@given(files=FILES, fmt=st.sampled_from(["json", "sarif"]))
def test_generated_migrations_never_crash_the_cli_in_process(
    files: list[tuple[str, bytes]], fmt: str
) -> None:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        write_files(folder, files)
        report = folder / f"report.{fmt}"
        result = CliRunner().invoke(
            main, ["lint", "--no-cache", "--format", fmt, "-o", str(report), str(folder / "versions")]
        )
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.output
        check_outcome(result.exit_code, report, fmt)


@settings(
    max_examples=4, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
@given(batch=st.lists(FILES, min_size=6, max_size=6))
def test_generated_migrations_never_crash_the_cli_subprocess(batch: list[list[tuple[str, bytes]]]) -> None:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        write_files(folder, [f for files in batch for f in files])
        report = folder / "report.sarif"
        done = subprocess.run(
            [sys.executable, "-m", "pytest_releasesafe", "lint", "--no-cache", "--format", "sarif"]
            + ["-o", str(report), str(folder / "versions")],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "Traceback" not in done.stderr, done.stderr
        check_outcome(done.returncode, report, "sarif")


@SETTINGS
@given(statements=st.lists(st.sampled_from(SQL_FRAGMENTS[:23]), min_size=1, max_size=30), name=NAMES)
def test_a_huge_file_read_in_pieces_gives_what_reading_it_whole_gives(
    statements: list[str], name: str
) -> None:
    text = "".join(s.replace("{n}", name) + ";\n" for s in statements)

    def operations(chunked: bool) -> list[tuple]:
        old = sql_chunks.CHUNKED_BYTES, sql_chunks.CHUNK_BYTES
        sql_chunks.CHUNKED_BYTES, sql_chunks.CHUNK_BYTES = (0, 40) if chunked else (10**12, 10**12)
        try:
            ops, problems = parse_sql(text, Placement("m.sql"), "postgresql", SqlState(in_transaction=False))
        finally:
            sql_chunks.CHUNKED_BYTES, sql_chunks.CHUNK_BYTES = old
        found = [(o.kind, o.table, o.location, o.phase, o.in_transaction, o.table_is_new, o.sql) for o in ops]
        return found + [(p.location, p.message) for p in problems]

    assert operations(chunked=True) == operations(chunked=False)
