"""Down steps judged against what their own up step did.

A down file of its own (Diesel `down.sql`, golang-migrate `*.down.sql`, Flyway `U*`, sqitch
`revert/`) is paired with the up file beside it: an empty one is RS801, one that leaves part of the
up file's changes behind is RS802, both reported in the down file with the reversing SQL in the
user's names. And with `--downgrade`, a downgrade dropping what its own upgrade created is the
rollback doing its job, never RS511/RS512 (the release it returns to never had the object).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lint_helpers import write_revision

from pytest_releasesafe.config import Config
from pytest_releasesafe.engine import lint

UP = "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN nickname text;\nCREATE INDEX CONCURRENTLY users_nickname ON users (nickname);\n"
FIRST = "SET lock_timeout = '5s';\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n"

# (the files of a two-migration history, the down file of the second)
LAYOUTS = {
    "diesel": (
        {
            "migrations/2024-01-01-000001_users/up.sql": FIRST,
            "migrations/2024-01-01-000001_users/down.sql": "DROP TABLE users;\n",
            "migrations/2024-02-01-000002_nickname/up.sql": UP,
        },
        "migrations/2024-02-01-000002_nickname/down.sql",
    ),
    "golang-migrate": (
        {"migrations/1_users.up.sql": FIRST, "migrations/2_nickname.up.sql": UP},
        "migrations/2_nickname.down.sql",
    ),
    "flyway": (
        {"migrations/V1__users.sql": FIRST, "migrations/V2__nickname.sql": UP},
        "migrations/U2__nickname.sql",
    ),
    "sqitch": (
        {
            "migrations/sqitch.plan": "%project=app\n\nusers 2024-01-01T00:00:00Z dev <dev@example.com>\n"
            "nickname 2024-02-01T00:00:00Z dev <dev@example.com>\n",
            "migrations/deploy/users.sql": FIRST,
            "migrations/deploy/nickname.sql": UP,
        },
        "migrations/revert/nickname.sql",
    ),
}


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _lint(root: Path, paths: list[str], **settings: object) -> list:
    config = Config(**{"cache": False, "root": root, "select": ("RS801", "RS802"), **settings})  # type: ignore[arg-type]
    return lint([str(root / p) for p in paths], config).findings


def _found(findings: list, root: Path) -> list[tuple[str, str, int]]:
    return [(f.rule, Path(f.path).resolve().relative_to(root.resolve()).as_posix(), f.line) for f in findings]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize(
    ("down", "expected"),
    [
        ("", ["RS801"]),
        ("-- nothing to undo here\nSELECT 1;\n", ["RS801"]),
        ("DROP INDEX CONCURRENTLY users_nickname;\n", ["RS802"]),  # the column stays
        ("DROP INDEX CONCURRENTLY users_nickname;\nALTER TABLE users DROP COLUMN nickname;\n", []),
        ("ALTER TABLE users DROP COLUMN nickname;\n", []),  # the index goes with its column
    ],
)
def test_a_down_file_is_judged_against_the_up_file_beside_it(
    tmp_path: Path, layout: str, down: str, expected: list[str]
) -> None:
    files, down_file = LAYOUTS[layout]
    _write(tmp_path, {**files, down_file: down})
    findings = _lint(tmp_path, ["migrations"])
    assert _found(findings, tmp_path) == [(rule, down_file, 1) for rule in expected]
    for finding in findings:
        assert "nickname" in finding.message and "()" not in finding.message
        assert "ALTER TABLE users DROP COLUMN nickname;" in finding.help  # the user's own names


def test_an_empty_down_file_is_told_every_reversing_statement_in_reverse_order(tmp_path: Path) -> None:
    files, down_file = LAYOUTS["diesel"]
    _write(tmp_path, {**files, down_file: ""})
    (finding,) = _lint(tmp_path, ["migrations"])
    assert finding.rule == "RS801"
    assert "the down file beside it is empty" in finding.message
    assert finding.help.index("DROP INDEX users_nickname;") < finding.help.index(
        "ALTER TABLE users DROP COLUMN nickname;"
    )


def test_a_down_file_that_only_reverses_data_or_nothing_of_a_data_only_up_file_is_fine(
    tmp_path: Path,
) -> None:
    files, down_file = LAYOUTS["diesel"]
    files = {
        **files,
        "migrations/2024-02-01-000002_nickname/up.sql": "UPDATE users SET email = lower(email);\n",
    }
    _write(tmp_path, {**files, down_file: ""})
    assert _lint(tmp_path, ["migrations"]) == []


def test_a_down_file_whose_sql_cannot_be_read_is_not_called_empty(tmp_path: Path) -> None:
    files, down_file = LAYOUTS["diesel"]
    _write(
        tmp_path,
        {**files, down_file: "DO $$ BEGIN EXECUTE 'ALTER TABLE users DROP COLUMN nickname'; END $$;\n"},
    )
    assert _lint(tmp_path, ["migrations"]) == []


def test_the_down_file_linted_alone_from_a_warm_cache_gets_the_verdict_of_a_cold_folder_lint(
    tmp_path: Path,
) -> None:
    files, down_file = LAYOUTS["golang-migrate"]
    _write(tmp_path, {**files, down_file: "DROP INDEX CONCURRENTLY users_nickname;\n"})
    cold = _found(_lint(tmp_path, ["migrations"]), tmp_path)
    _lint(tmp_path, ["migrations"], cache=True)  # fills the cache: the up file's effects are kept
    (tmp_path / down_file).write_text(
        "-- edited\nDROP INDEX CONCURRENTLY users_nickname;\n", encoding="utf-8"
    )
    warm = _found(_lint(tmp_path, [down_file], cache=True), tmp_path)
    assert cold == warm == [("RS802", down_file, 1)]


# --- with --downgrade: drops of what the same migration created ----------------------------------


def _revision(versions: Path, rev: str, down: str | None, up: str, down_body: str) -> None:
    write_revision(versions, rev, down, up, down_body, doc=rev)


def test_a_downgrade_dropping_what_its_upgrade_created_is_no_drop_of_a_released_object(
    tmp_path: Path,
) -> None:
    versions = tmp_path / "versions"
    _revision(
        versions,
        "a1",
        None,
        '    op.create_table("users", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("email", sa.Text()))',
        '    op.drop_table("users")',
    )
    _revision(
        versions,
        "b2",
        "a1",
        '    op.add_column("users", sa.Column("nickname", sa.Text()))\n'
        '    op.create_table("tags", sa.Column("id", sa.Integer(), primary_key=True))',
        '    op.drop_table("tags")\n    op.drop_column("users", "nickname")\n    op.drop_column("users", "email")',
    )
    config = Config(cache=False, root=tmp_path, select=("RS511", "RS512"), downgrade=True)
    found = [(f.rule, f.line) for f in lint([str(versions)], config).findings]
    # Only `email` was there before b2: the release b2's downgrade returns to still uses it.
    assert found == [("RS511", 17)]


def test_dropping_in_a_down_file_what_its_up_file_created_is_no_drop_of_a_released_object(
    tmp_path: Path,
) -> None:
    files, down_file = LAYOUTS["diesel"]
    files = {**files, "migrations/2024-02-01-000002_nickname/up.sql": FIRST.replace("users", "tags")}
    _write(tmp_path, {**files, down_file: "DROP TABLE tags;\nALTER TABLE users DROP COLUMN email;\n"})
    config = Config(cache=False, root=tmp_path, select=("RS511", "RS512"), downgrade=True)
    found = _found(lint([str(tmp_path / "migrations")], config).findings, tmp_path)
    assert found == [("RS511", down_file, 2)]  # users.email came from the first migration


def test_the_cli_reports_an_empty_down_file(tmp_path: Path) -> None:
    files, down_file = LAYOUTS["diesel"]
    _write(tmp_path, {**files, down_file: ""})
    done = subprocess.run(
        [sys.executable, "-m", "pytest_releasesafe", "lint", "--no-cache", "--format", "json", "migrations"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    findings = report["findings"] if isinstance(report, dict) else report
    assert [(f["rule"], f["path"]) for f in findings if f["rule"].startswith("RS80")] == [
        ("RS801", down_file)
    ]


@pytest.mark.parametrize(
    ("up", "down", "expected"),
    [
        (  # the column goes with its type
            "CREATE TYPE mood AS ENUM ('ok', 'sad');\nALTER TABLE users ADD COLUMN mood mood;\n",
            "DROP TYPE mood CASCADE;\n",
            [],
        ),
        (  # without CASCADE the drop fails while the column uses the type: the column stays
            "CREATE TYPE mood AS ENUM ('ok', 'sad');\nALTER TABLE users ADD COLUMN mood mood;\n",
            "DROP TYPE mood;\n",
            ["RS802"],
        ),
        (  # an index on a materialized view goes with the view
            "CREATE MATERIALIZED VIEW user_emails AS SELECT id, email FROM users;\n"
            "CREATE UNIQUE INDEX user_emails_id ON user_emails (id);\n",
            "DROP MATERIALIZED VIEW user_emails;\n",
            [],
        ),
    ],
)
def test_what_a_drop_takes_with_it_counts_as_undone(
    tmp_path: Path, up: str, down: str, expected: list[str]
) -> None:
    files, down_file = LAYOUTS["diesel"]
    _write(tmp_path, {**files, "migrations/2024-02-01-000002_nickname/up.sql": up, down_file: down})
    assert [f.rule for f in _lint(tmp_path, ["migrations"])] == expected


def test_a_downgrade_renaming_back_what_its_upgrade_renamed_breaks_nothing(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    _revision(
        versions,
        "a1",
        None,
        '    op.create_table("datasets", sa.Column("id", sa.Integer(), primary_key=True),'
        ' sa.Column("dataset_id", sa.Integer()), sa.Column("kind", sa.Text()), sa.Column("note", sa.Text()))',
        '    op.drop_table("datasets")',
    )
    _revision(
        versions,
        "b2",
        "a1",
        '    op.rename_table("datasets", "assets")\n'
        '    op.alter_column("assets", "dataset_id", new_column_name="asset_id")\n'
        '    op.add_column("assets", sa.Column("kind_json", sa.JSON()))',
        # Back in reverse order; `kind_old` is made here and takes the old name; `note` was a1's.
        '    op.add_column("assets", sa.Column("kind_old", sa.Text()))\n'
        '    op.drop_column("assets", "kind")\n'
        '    op.alter_column("assets", "kind_old", new_column_name="kind")\n'
        '    op.alter_column("assets", "asset_id", new_column_name="dataset_id")\n'
        '    op.rename_table("assets", "datasets")\n'
        '    op.alter_column("datasets", "note", new_column_name="remark")\n'
        '    op.drop_column("datasets", "kind_json")',
    )
    config = Config(cache=False, root=tmp_path, select=("RS501", "RS502"), downgrade=True)
    found = [(f.rule, f.line, f.message.split(" breaks")[0]) for f in lint([str(versions)], config).findings]
    assert found == [
        ("RS502", 10, "Renaming table datasets to assets"),  # the upgrade's own renames
        ("RS501", 11, "Renaming assets.dataset_id to asset_id"),
        ("RS501", 21, "Renaming datasets.note to remark"),  # a1's column, renamed by a downgrade
    ]


def test_a_down_file_renaming_back_what_its_up_file_renamed_breaks_nothing(tmp_path: Path) -> None:
    files, down_file = LAYOUTS["golang-migrate"]
    files = {**files, "migrations/2_nickname.up.sql": "ALTER TABLE users RENAME COLUMN email TO mail;\n"}
    _write(tmp_path, {**files, down_file: "ALTER TABLE users RENAME COLUMN mail TO email;\n"})
    config = Config(cache=False, root=tmp_path, select=("RS501",), downgrade=True)
    found = _found(lint([str(tmp_path / "migrations")], config).findings, tmp_path)
    assert found == [("RS501", "migrations/2_nickname.up.sql", 1)]  # the upgrade's rename alone
