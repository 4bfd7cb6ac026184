"""Linting some files of a history judges them as linting the whole folder does.

A pre-commit run passes only the staged files, an editor one buffer, a user `lint one.py`: each
file named must still be judged against the state its whole history leaves before it, and only the
files named are reported. The invariant, for real-shaped histories on disk and the real CLI: for
every file F, `releasesafe lint F` (and a few subsets) gives exactly the findings
`releasesafe lint <folder>` gives for F.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pytest_releasesafe.config import Config
from pytest_releasesafe.engine import lint

HISTORIES = Path(__file__).parent / "accuracy_histories"
CASES = sorted(p for p in HISTORIES.iterdir() if (p / "migrations").is_dir())


def releasesafe(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest_releasesafe", "lint", "--format", "json", "--exit-zero", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def findings(*args: str, cwd: Path) -> list[dict]:
    done = releasesafe("--no-cache", *args, cwd=cwd)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stdout)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def revision(rev: str, down: str | tuple[str, ...] | None, upgrade: str, downgrade: str = "pass") -> str:
    return (
        "from alembic import op\nimport sqlalchemy as sa\n\n"
        f"revision = {rev!r}\ndown_revision = {down!r}\n\n\n"
        f"def upgrade():\n{textwrap.indent(textwrap.dedent(upgrade).strip(), '    ')}\n\n\n"
        f"def downgrade():\n    {downgrade}\n"
    )


# An Alembic history with a branch and a merge. The merge narrows a column created in the base and
# widens one a branch added: only the replayed history knows the old types. The revision after the
# merge indexes a table the other branch created (existing, so RS101). broken.py does not parse.
ALEMBIC = {
    "migrations/versions/z_base.py": revision(
        "base",
        None,
        """
        op.create_table("users", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(20)))
        """,
    ),
    "migrations/versions/a_email.py": revision(
        "email", "base", 'op.add_column("users", sa.Column("email", sa.String(50)))'
    ),
    "migrations/versions/y_invoices.py": revision(
        "invoices",
        "base",
        """
        op.create_table("invoices", sa.Column("id", sa.Integer, primary_key=True), sa.Column("ref", sa.String(8)))
        """,
    ),
    "migrations/versions/m_merge.py": revision(
        "merge",
        ("email", "invoices"),
        """
        op.alter_column("users", "name", type_=sa.String(10))
        op.alter_column("users", "email", type_=sa.String(100))
        """,
    ),
    "migrations/versions/n_after.py": revision(
        "after",
        "merge",
        """
        op.create_index("ix_invoices_ref", "invoices", ["ref"])
        op.alter_column("invoices", "ref", type_=sa.String(4))
        """,
    ),
    "migrations/versions/o_broken.py": "revision = 'broken'\ndown_revision = 'after'\n\ndef upgrade(:\n    pass\n",
    "migrations/env.py": "from alembic import context\n",
}

FLYWAY = {
    "db/V1__users.sql": "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(20), code text);\n",
    "db/U1__users.sql": "DROP TABLE users;\n",
    "db/V2__narrow.sql": "ALTER TABLE users ALTER COLUMN name TYPE varchar(10);\n",
    "db/U2__narrow.sql": "ALTER TABLE users ALTER COLUMN name TYPE varchar(20);\n",
    "db/V10__widen.sql": "ALTER TABLE users ALTER COLUMN name TYPE varchar(40);\nCREATE INDEX ix_users_name ON users (name);\n",
    "db/V3__code.sql": "ALTER TABLE users ALTER COLUMN code TYPE varchar(30);\n",
    "db/R__view.sql": "CREATE OR REPLACE VIEW user_names AS SELECT name FROM users;\n",
    "db/V4__bad_bytes.sql": "",  # replaced by invalid UTF-8 below: unreadable, reported only when named
}

DIESEL = {
    "migrations/2024-01-01-000000_create_users/up.sql": "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(20));\n",
    "migrations/2024-01-01-000000_create_users/down.sql": "DROP TABLE users;\n",
    "migrations/2024-02-01-000000_shrink_name/up.sql": "ALTER TABLE users ALTER COLUMN name TYPE varchar(10);\n",
    "migrations/2024-02-01-000000_shrink_name/down.sql": "ALTER TABLE users ALTER COLUMN name TYPE varchar(20);\n",
    "migrations/2024-03-01-000000_email/up.sql": "ALTER TABLE users ADD COLUMN email text;\nCREATE INDEX ix_users_email ON users (email);\n",
    "migrations/2024-03-01-000000_email/down.sql": "ALTER TABLE users DROP COLUMN email;\n",
}

GOOSE = {
    "migrations/00001_create_users.sql": """
        -- +goose Up
        CREATE TABLE users (id bigint PRIMARY KEY, name varchar(20));
        -- +goose Down
        DROP TABLE users;
        """,
    "migrations/00002_shrink_name.sql": """
        -- +goose Up
        ALTER TABLE users ALTER COLUMN name TYPE varchar(10);
        -- +goose Down
        ALTER TABLE users ALTER COLUMN name TYPE varchar(20);
        """,
    "migrations/00010_orders.sql": """
        -- +goose Up
        CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);
        ALTER TABLE users ALTER COLUMN name TYPE text;
        -- +goose Down
        DROP TABLE orders;
        """,
}


def _layout(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.releasesafe]\n")
    write(tmp_path, files)
    if "db/V4__bad_bytes.sql" in files:
        (tmp_path / "db/V4__bad_bytes.sql").write_bytes(b"ALTER TABLE users ADD COLUMN x text;\n\xff\xfe\n")
    return tmp_path


def _members(root: Path, folder: str) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix() for p in (root / folder).rglob("*") if p.suffix in (".py", ".sql")
    )


def _assert_partial_lints_match(root: Path, folder: str, subsets: list[list[str]], *options: str) -> int:
    """Every file alone, and each subset, against the folder lint; returns how many files the
    history changes the verdict of (so the comparison is never vacuous)."""
    whole = findings(*options, folder, cwd=root)
    history_mattered = 0
    for members in [[m] for m in _members(root, folder)] + subsets:
        got = findings(*options, *members, cwd=root)
        assert got == [f for f in whole if f["path"] in members], members
        if len(members) == 1 and findings(*options, "--no-whole-history", *members, cwd=root) != got:
            history_mattered += 1
    return history_mattered


def test_alembic_branch_and_merge_revision_alone_matches_the_folder_lint(tmp_path: Path) -> None:
    root = _layout(tmp_path, ALEMBIC)
    v = "migrations/versions/"
    mattered = _assert_partial_lints_match(
        root, "migrations", [[v + "m_merge.py", v + "n_after.py"], [v + "a_email.py", v + "n_after.py"]]
    )
    assert mattered >= 2  # the merge (old types) and the revision after it (an existing table)
    merge = findings(v + "m_merge.py", cwd=root)
    assert [(f["line"], f["rule"]) for f in merge if f["rule"] == "RS401"] == [(9, "RS401")]


def test_flyway_versions_and_undo_files_alone_match_the_folder_lint(tmp_path: Path) -> None:
    root = _layout(tmp_path, FLYWAY)
    subsets = [["db/V2__narrow.sql", "db/V10__widen.sql"], ["db/U2__narrow.sql", "db/V3__code.sql"]]
    assert _assert_partial_lints_match(root, "db", subsets) >= 2
    assert _assert_partial_lints_match(root, "db", subsets, "--downgrade") >= 2


def test_diesel_up_and_down_files_and_one_migration_folder_match_the_folder_lint(tmp_path: Path) -> None:
    root = _layout(tmp_path, DIESEL)
    shrink = "migrations/2024-02-01-000000_shrink_name"
    assert _assert_partial_lints_match(root, "migrations", [], "--downgrade") >= 1
    whole = findings("--downgrade", "migrations", cwd=root)
    one_folder = findings("--downgrade", shrink, cwd=root)  # a folder inside the history is a subset too
    assert one_folder == [f for f in whole if f["path"].startswith(shrink + "/")]
    assert any(f["rule"] == "RS401" for f in one_folder)


def test_goose_sections_alone_match_the_folder_lint(tmp_path: Path) -> None:
    root = _layout(tmp_path, GOOSE)
    subsets = [["migrations/00002_shrink_name.sql", "migrations/00010_orders.sql"]]
    assert _assert_partial_lints_match(root, "migrations", subsets, "--downgrade") >= 1


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_file_of_the_history_corpus_alone_matches_its_case_lint(case: Path) -> None:
    whole = findings("--downgrade", "migrations", cwd=case)
    for member in _members(case, "migrations"):
        assert findings("--downgrade", member, cwd=case) == [f for f in whole if f["path"] == member], member


def test_an_unparsable_file_of_the_history_reports_nothing_unless_named(tmp_path: Path) -> None:
    root = _layout(tmp_path, {**ALEMBIC, **FLYWAY})
    whole = findings("migrations", "db", cwd=root)
    assert {f["path"] for f in whole if f["rule"] == "RS001"} == {
        "migrations/versions/o_broken.py",
        "db/V4__bad_bytes.sql",
    }
    others = findings("migrations/versions/n_after.py", "db/V10__widen.sql", cwd=root)
    assert others and {f["path"] for f in others} <= {"migrations/versions/n_after.py", "db/V10__widen.sql"}
    assert [f["rule"] for f in findings("db/V4__bad_bytes.sql", cwd=root)] == ["RS001"]


def test_a_file_outside_any_history_is_judged_as_before(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "alone/only.sql": "ALTER TABLE users ALTER COLUMN name TYPE varchar(10);\n",
            "app/models.py": "import os\n\nDROP = 'DROP TABLE users'\n",
            "lone/versions/0001_x.py": revision("x1", None, 'op.drop_column("users", "legacy")'),
        },
    )
    for path in ("alone/only.sql", "app/models.py", "lone/versions/0001_x.py"):
        assert findings(path, cwd=tmp_path) == findings("--no-whole-history", path, cwd=tmp_path), path
    assert findings("app/models.py", cwd=tmp_path) == []


def test_whole_history_false_in_pyproject_judges_a_file_alone(tmp_path: Path) -> None:
    root = _layout(tmp_path, DIESEL)
    shrink = "migrations/2024-02-01-000000_shrink_name/up.sql"
    with_history = findings(shrink, cwd=root)
    (root / "pyproject.toml").write_text("[tool.releasesafe]\nwhole-history = false\n")
    alone = findings(shrink, cwd=root)
    assert alone != with_history
    assert alone == findings("--no-whole-history", shrink, cwd=root)
    assert findings("--whole-history", shrink, cwd=root) == with_history  # the flag wins over the file


def test_whole_history_setting_must_be_true_or_false(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.releasesafe]\nwhole-history = "yes"\n')
    (tmp_path / "0001.sql").write_text("SELECT 1;\n")
    done = releasesafe("0001.sql", cwd=tmp_path)
    assert done.returncode == 2
    assert "[tool.releasesafe] whole-history must be true or false" in done.stderr


def test_start_after_works_when_only_a_later_revision_is_named(tmp_path: Path) -> None:
    root = _layout(tmp_path, ALEMBIC)
    (root / "pyproject.toml").write_text('[tool.releasesafe]\nstart-after = "email"\n')
    named = "migrations/versions/n_after.py"
    whole = findings("migrations", cwd=root)
    assert findings(named, cwd=root) == [f for f in whole if f["path"] == named]
    assert not any(f["path"] == "migrations/versions/a_email.py" for f in whole)


def test_diff_judges_the_same_files_with_or_without_the_history(tmp_path: Path) -> None:
    root = _layout(tmp_path, GOOSE)
    for args in (
        ("init", "-q", "-b", "main"),
        ("config", "user.email", "d@e.f"),
        ("config", "user.name", "d"),
    ):
        subprocess.run(["git", *args], cwd=root, check=True)
    subprocess.run(["git", "add", "migrations/00001_create_users.sql"], cwd=root, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "first"], cwd=root, check=True)
    whole = findings("--diff", "HEAD", "migrations", cwd=root)
    assert whole == findings("--diff", "HEAD", "--no-whole-history", "migrations", cwd=root)
    assert {f["path"] for f in whole} == {"migrations/00002_shrink_name.sql", "migrations/00010_orders.sql"}
    named = "migrations/00010_orders.sql"
    assert findings("--diff", "HEAD", named, cwd=root) == [f for f in whole if f["path"] == named]


def test_a_partial_lint_reuses_the_findings_a_folder_lint_cached(tmp_path: Path) -> None:
    root = _layout(tmp_path, DIESEL)
    config = Config(root=root)
    here = os.getcwd()
    os.chdir(root)
    try:
        lint(["migrations"], config)
        again = lint(["migrations/2024-03-01-000000_email/up.sql"], config)
    finally:
        os.chdir(here)
    assert (again.files_checked, again.files_cached) == (1, 1)
