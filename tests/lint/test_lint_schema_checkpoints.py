"""The lint cache keeps the schema a history reached, and a later run resumes from it.

A pre-commit run lints the files being committed at the end of a long history; instead of
replaying every earlier file's effects, it resumes from the state a previous run kept. Resuming
must never change a verdict: for real-shaped histories, an edited file linted with the cache gives
exactly what a lint without any cache gives.
"""

from __future__ import annotations

import marshal
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from lint_helpers import lint_in, verdicts

from pytest_releasesafe import engine
from pytest_releasesafe.schema import checkpoint
from pytest_releasesafe.schema import state as st

HISTORIES = Path(__file__).parent / "accuracy_histories"
CASES = sorted(p for p in HISTORIES.iterdir() if (p / "migrations").is_dir())
CACHE = ".releasesafe_cache"


def test_a_state_with_every_kind_of_object_round_trips() -> None:
    made = st.Origin("m/0001.sql")
    new = st.Origin("m/0002.sql", unreleased=True)
    users = st.Table(
        "users",
        columns={
            "id": st.Column("id", "bigint", nullable=False, origin=made),
            "name": st.Column("name", "sa.String(20)", "alembic", True, "'x'", True, new),
        },
        constraints=(
            st.Constraint("users_pkey", "primary_key", ("id",), origin=made),
            st.Constraint("fk_org", "foreign_key", ("org_id",), "orgs", validated=False, origin=new),
            st.Constraint(None, None),
        ),
        indexes={"ix_name": st.Index("ix_name", "users", ("name",), unique=True, origin=new)},
        complete=False,
        origin=made,
    )
    state = st.Schema(
        tables={"users": users},
        enums={"mood": ("ok", "sad"), "unknown": None},
        functions={"touch": st.Function("touch", True, made)},
        triggers={"t_touch": st.Trigger("t_touch", "users", "touch", new)},
        objects={("view", "v_users"): made, ("extension", "pgcrypto"): new},
    )
    data = checkpoint.dump(state)
    assert marshal.loads(marshal.dumps(data)) == data  # plain data only
    stored = marshal.loads(marshal.dumps(data))
    loaded = checkpoint.load(stored)
    assert loaded == state
    assert stored == data and checkpoint.load(stored) == state  # loading leaves the cached data as it was
    assert loaded.table("users").column("name").origin.unreleased  # type: ignore[union-attr]


def test_a_malformed_state_raises_instead_of_loading_half() -> None:
    data = checkpoint.dump(st.Schema(tables={"t": st.Table("t", columns={"a": st.Column("a", "int")})}))
    origins, body = data
    table = dict(body["tables"]["t"])
    del table["complete"]
    with pytest.raises(ValueError):
        checkpoint.load((origins, {**body, "tables": {"t": table}}))


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The files the front ends parse during a lint (the real parser runs; this only counts)."""
    seen: list[str] = []
    real = engine.FileLinter.parse_contained

    def counting(self: engine.FileLinter, source: engine.SourceFile) -> object:
        seen.append(source.display)
        return real(self, source)

    monkeypatch.setattr(engine.FileLinter, "parse_contained", counting)
    yield seen


def _members(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "migrations").rglob("*.*"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_edited_file_linted_after_a_folder_lint_matches_a_lint_without_cache(
    case: Path, tmp_path: Path
) -> None:
    root = tmp_path / case.name
    shutil.copytree(case, root)
    settings = {"downgrade": True}
    for member in _members(root):
        shutil.rmtree(root / CACHE, ignore_errors=True)
        lint_in(root, ["migrations"], **settings)  # fills the findings, effects and schema states
        path = root / member
        original = path.read_bytes()
        path.write_bytes(original + (b"\n# edited\n" if member.endswith(".py") else b"\n-- edited\n"))
        resumed = lint_in(root, [member], **settings)
        again = lint_in(root, [member], **settings)  # resumes from what the last run kept
        expected = lint_in(root, [member], cache=False, **settings)
        assert verdicts(resumed) == verdicts(again) == verdicts(expected), member
        path.write_bytes(original)


def _history(root: Path, revisions: int) -> list[str]:
    names = []
    for n in range(revisions):
        name = f"migrations/{n:05d}_step.sql"
        text = (
            "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(20));\n"
            if n == 0
            else f"ALTER TABLE users ADD COLUMN c{n} varchar(10);\n"
        )
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
        names.append(name)
    return names


def test_a_new_migration_resumes_from_the_state_the_folder_lint_kept(
    tmp_path: Path, parses: list[str]
) -> None:
    names = _history(tmp_path, 12)
    lint_in(tmp_path, ["migrations"])
    assert len(parses) == 12
    (tmp_path / CACHE / "effects.marshal").unlink()  # only the kept state can stand in for the history
    parses.clear()
    added = "migrations/00012_narrow.sql"
    (tmp_path / added).write_text("ALTER TABLE users ALTER COLUMN c11 TYPE varchar(5);\n")
    result = lint_in(tmp_path, [added])
    assert parses == [added]
    assert [f.rule for f in result.findings] == [
        r.rule for r in lint_in(tmp_path, [added], cache=False).findings
    ]
    assert "RS401" in {f.rule for f in result.findings}  # judged against c11 varchar(10): the history counted
    assert names  # the history is on disk, read for its fingerprints


def test_editing_the_last_files_twice_resumes_and_the_second_run_parses_only_them(
    tmp_path: Path, parses: list[str]
) -> None:
    names = _history(tmp_path, 30)
    lint_in(tmp_path, ["migrations"])
    (tmp_path / CACHE / "effects.marshal").unlink()  # what is replayed must be parsed: it shows
    edited = names[-3:]
    for name in edited:
        (tmp_path / name).write_text((tmp_path / name).read_text() + "-- edited\n")
    parses.clear()
    first = lint_in(tmp_path, edited)
    assert sorted(parses) == sorted(edited + [names[-4]])  # resumed before the last 4: one replayed
    for name in edited:
        (tmp_path / name).write_text((tmp_path / name).read_text() + "-- edited again\n")
    parses.clear()
    second = lint_in(tmp_path, edited)
    assert sorted(parses) == sorted(edited)
    assert verdicts(first) == verdicts(second) == verdicts(lint_in(tmp_path, edited, cache=False))


def test_a_damaged_schema_state_is_a_miss_not_a_wrong_state(tmp_path: Path) -> None:
    names = _history(tmp_path, 10)
    lint_in(tmp_path, ["migrations"])
    store = tmp_path / CACHE / "schemas.marshal"
    header, _, body = store.read_bytes().partition(b"\n")
    entries = marshal.loads(body)
    assert entries
    junk = [b"junk", marshal.dumps(((), {"tables": {}})), marshal.dumps(("x",)), ("not", "bytes")]
    store.write_bytes(header + b"\n" + marshal.dumps({key: junk[n % 4] for n, key in enumerate(entries)}))
    (tmp_path / names[-1]).write_text("ALTER TABLE users ALTER COLUMN c8 TYPE varchar(2);\n")
    result = lint_in(tmp_path, [names[-1]])  # replayed from the start, from the effects kept
    assert verdicts(result) == verdicts(lint_in(tmp_path, [names[-1]], cache=False))
    assert "RS401" in {f.rule for f in result.findings}
