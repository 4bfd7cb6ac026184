"""The schema catalogue: each check judges a statement from the schema the history built before it.

`tests/lint/accuracy_histories/<case>/migrations/` holds one history per case, in one tool's layout;
every file carries its expected findings in the accuracy corpus' format (`-- expect: RS401` on the
line, `-- expect-none`). Unlike the per-file corpus, a case is linted as a whole, so a finding can
depend on an earlier file. A case's `pyproject.toml` configures it (dialect, `schema = ...`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_lint_accuracy import read_expectations

from pytest_releasesafe import config as config_module
from pytest_releasesafe.engine import lint

HISTORIES = Path(__file__).parent / "accuracy_histories"
CASES = sorted(p for p in HISTORIES.iterdir() if (p / "migrations").is_dir())


def _found(case: Path, **overrides: object) -> set[tuple[str, int, str]]:
    config = config_module.with_overrides(config_module.load(case), cache=False, root=case, **overrides)
    result = lint([str(case / "migrations")], config)
    return {
        (Path(f.path).resolve().relative_to(case.resolve()).as_posix(), f.line, f.rule)
        for f in result.findings
        if f.rule != "RS002"
    }


def _expected(case: Path) -> set[tuple[str, int, str]]:
    expected = set()
    for path in sorted((case / "migrations").rglob("*")):
        if path.suffix not in (".sql", ".py"):
            continue
        wanted = read_expectations(path)
        assert wanted.clean != bool(wanted.findings), f"{path}: needs `expect:` lines or one `expect-none`"
        relative = path.relative_to(case).as_posix()
        expected |= {(relative, line, rule) for line, rule in wanted.findings}
    return expected


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_history_findings_match_their_line_expectations(case: Path) -> None:
    found, expected = _found(case), _expected(case)
    assert found == expected, f"missing: {sorted(expected - found)}\nunexpected: {sorted(found - expected)}"


def test_history_corpus_covers_every_tool_layout_and_both_dialects() -> None:
    names = " ".join(c.name for c in CASES)
    for layout in (
        "flyway",
        "golang_migrate",
        "diesel",
        "prisma",
        "sqitch",
        "goose",
        "dbmate",
        "plain",
        "alembic",
    ):
        assert layout in names, layout
    assert any(c.name.startswith("mysql") for c in CASES) and any(c.name.startswith("pg") for c in CASES)


def test_down_files_are_judged_only_as_downgrades() -> None:
    case = HISTORIES / "pg_golang_migrate_down_replays_after_its_up"
    forward = _found(case, downgrade=False)
    assert not any(path.endswith(".down.sql") for path, _, _ in forward)
    assert ("migrations/2_widen_name.down.sql", 3, "RS401") in _found(case, downgrade=True)


# --- the real command ----------------------------------------------------------------------------


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest_releasesafe", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _rules_at(stdout: str) -> set[tuple[str, int, str]]:
    return {(Path(f["path"]).name, f["line"], f["rule"]) for f in json.loads(stdout) if f["rule"] != "RS002"}


SHRINK = "SET lock_timeout = '5s';\nALTER TABLE accounts ALTER COLUMN name TYPE varchar(10);\n"


def test_schema_option_seeds_the_catalogue_for_a_squashed_history(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "schema.sql": "CREATE TABLE public.accounts (id bigint NOT NULL, name character varying(20));\n",
            "migrations/V2__shrink.sql": SHRINK,
        },
    )
    seeded = run(
        "lint", "--no-cache", "--format", "json", "--schema", "schema.sql", "migrations", cwd=tmp_path
    )
    assert ("V2__shrink.sql", 2, "RS401") in _rules_at(seeded.stdout), seeded.stderr
    # Without it the old type is unknown, and a change to varchar reads as the common widening.
    unseeded = run("lint", "--no-cache", "--format", "json", "migrations", cwd=tmp_path)
    assert ("V2__shrink.sql", 2, "RS401") not in _rules_at(unseeded.stdout)


def test_missing_schema_file_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    _write(tmp_path, {"migrations/V2__shrink.sql": SHRINK})
    done = run("lint", "--schema", "nowhere.sql", "migrations", cwd=tmp_path)
    assert done.returncode == 2
    assert "nowhere.sql" in done.stderr and "Traceback" not in done.stderr


def test_schema_setting_in_pyproject_must_be_a_path(tmp_path: Path) -> None:
    _write(
        tmp_path, {"pyproject.toml": "[tool.releasesafe]\nschema = 3\n", "migrations/V2__shrink.sql": SHRINK}
    )
    done = run("lint", "migrations", cwd=tmp_path)
    assert done.returncode == 2 and "schema must be the path" in done.stderr


def test_cache_relints_a_file_when_an_earlier_file_of_its_history_changes(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pyproject.toml": "[tool.releasesafe]\n",
            "migrations/V1__accounts.sql": "CREATE TABLE accounts (id bigint, name varchar(20));\n",
            "migrations/V2__shrink.sql": SHRINK,
        },
    )
    first = run("lint", "--format", "json", "migrations", cwd=tmp_path)
    assert ("V2__shrink.sql", 2, "RS401") in _rules_at(first.stdout)
    # V2 is unchanged, but now widens varchar(8) to varchar(10): its cached finding must go.
    (tmp_path / "migrations/V1__accounts.sql").write_text(
        "CREATE TABLE accounts (id bigint, name varchar(8));\n"
    )
    second = run("lint", "--format", "json", "migrations", cwd=tmp_path)
    assert ("V2__shrink.sql", 2, "RS401") not in _rules_at(second.stdout)


def test_warm_run_judges_a_new_file_from_the_cached_effects_of_earlier_ones(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "migrations/V1__accounts.sql": "CREATE TABLE accounts (id bigint, name varchar(20));\n",
            "migrations/V2__other.sql": "SET lock_timeout = '5s';\nCREATE INDEX CONCURRENTLY ix ON accounts (id);\n",
        },
    )
    config = config_module.Config(root=tmp_path)
    lint([str(tmp_path / "migrations")], config)
    (tmp_path / "migrations/V3__shrink.sql").write_text(SHRINK)
    result = lint([str(tmp_path / "migrations")], config)
    assert result.files_cached == 2
    assert [(Path(f.path).name, f.line, f.rule) for f in result.findings] == [("V3__shrink.sql", 2, "RS401")]


def test_one_and_two_jobs_give_identical_output(tmp_path: Path) -> None:
    padding = "-- " + "x" * 2000 + "\n"
    files = {"migrations/V0001__base.sql": "CREATE TABLE accounts (id bigint, name varchar(20), n int);\n"}
    for number in range(2, 60):
        width = 20 - number % 3 * 5  # some widen, some shrink
        files[f"migrations/V{number:04d}__step.sql"] = (
            padding * 2 + f"ALTER TABLE accounts ALTER COLUMN name TYPE varchar({width + number});\n"
            f"UPDATE accounts SET n = {number};\n"
        )
    _write(tmp_path, files)
    outputs = [
        run(
            "lint",
            "--no-cache",
            "--format",
            "json",
            "migrations",
            cwd=tmp_path,
            env={"RELEASESAFE_JOBS": jobs},
        )
        for jobs in ("1", "2")
    ]
    assert outputs[0].stdout == outputs[1].stdout
    assert "RS401" in outputs[0].stdout


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_with_diff_objects_created_by_unreleased_migrations_are_new(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {"migrations/V1__accounts.sql": "CREATE TABLE accounts (id bigint, name text, legacy text);\n"},
    )
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "released")
    _write(
        tmp_path,
        {
            "migrations/V2__nickname.sql": "SET lock_timeout = '5s';\n"
            "ALTER TABLE accounts ADD COLUMN nickname text;\n"
            "CREATE TABLE drafts (id bigint, body text);\n",
            "migrations/V3__rework.sql": "SET lock_timeout = '5s';\n"
            "ALTER TABLE accounts DROP COLUMN nickname;\n"  # added by V2, not released: no code reads it
            "ALTER TABLE accounts DROP COLUMN legacy;\n"  # released: the running code may read it
            "UPDATE drafts SET body = '';\n",  # a table no released code has filled
        },
    )
    done = run("lint", "--no-cache", "--format", "json", "--diff", "HEAD", "migrations", cwd=tmp_path)
    found = _rules_at(done.stdout)
    assert ("V3__rework.sql", 3, "RS511") in found, done.stdout + done.stderr
    assert ("V3__rework.sql", 2, "RS511") not in found
    assert not any(rule == "RS701" for _, _, rule in found)


# --- replay order and the typed model ------------------------------------------------------------


def test_flyway_versions_and_numbered_files_replay_in_numeric_order() -> None:
    from pytest_releasesafe.schema.order import histories

    files = ["m/V1.10__c.sql", "m/V1.2__b.sql", "m/V1__a.sql", "m/R__views.sql", "m/U1.2__b.sql"]
    (units,) = histories(files, [])
    assert [u.up for u in units] == ["m/V1__a.sql", "m/V1.2__b.sql", "m/V1.10__c.sql", "m/R__views.sql"]
    assert units[1].downs == ["m/U1.2__b.sql"]
    (numbered,) = histories(["g/10_x.up.sql", "g/9_x.up.sql", "g/9_x.down.sql"], [])
    assert [(u.up, u.downs) for u in numbered] == [
        ("g/9_x.up.sql", ["g/9_x.down.sql"]),
        ("g/10_x.up.sql", []),
    ]


def test_alembic_merge_replays_after_all_its_parents_whatever_the_file_names() -> None:
    from pytest_releasesafe.schema.order import histories

    revisions = [
        ("v/a.py", "m", ("b1", "b2")),
        ("v/b.py", "b1", ("r",)),
        ("v/c.py", "b2", ("r",)),
        ("v/z.py", "r", ()),
    ]
    (units,) = histories([], revisions)
    assert [u.up for u in units] == ["v/z.py", "v/b.py", "v/c.py", "v/a.py"]


def test_a_misspelt_detail_or_fact_key_is_an_error_not_unknown() -> None:
    from pytest_releasesafe.model import Location, Migration, Operation, UndeclaredKey

    op = Operation("data_change", Location("x.sql", 1), detail=(("has_where", True),))
    assert op.get("has_where") is True
    with pytest.raises(UndeclaredKey, match="has_wher"):
        op.get("has_wher")
    migration = Migration("x.sql", "sql", "postgresql")
    with pytest.raises(UndeclaredKey):
        migration.facts["unclosed_transactions"] = True


def test_every_detail_and_fact_key_the_front_ends_write_is_declared() -> None:
    from pytest_releasesafe.engine import FileLinter, discover, read_source
    from pytest_releasesafe.model import DETAIL_KEYS

    corpus = Path(__file__).parent / "accuracy"
    for dialect in ("postgresql", "mysql"):
        config = config_module.Config(cache=False, dialect=dialect)
        linter = FileLinter(config)
        for path in discover([str(corpus), str(HISTORIES)], config):
            source = read_source(path)
            if source.text is None or (path.suffix == ".py" and "def upgrade" not in source.text):
                continue
            for op in linter.parse(source).operations:
                assert {k for k, _ in op.detail} <= set(DETAIL_KEYS), (path, op.kind, op.detail)
