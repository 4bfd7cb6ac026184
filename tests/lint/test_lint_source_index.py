"""The source index: a warm run takes unchanged files' digests and revision headers from the cache
by their stat instead of reading them, and any change to a file, even one that keeps its size and
mtime, is read again. Verdicts never differ from a lint without any cache."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from lint_helpers import lint_in, verdicts

from pytest_releasesafe import engine, lint_cache, source_index
from pytest_releasesafe.config import Config

HISTORIES = Path(__file__).parent / "accuracy_histories"
CASES = ["alembic_revision_graph_order", "pg_diesel_layout"]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The files read from disk during a lint (the real reader runs; this only counts)."""
    seen: list[str] = []
    real = engine.read_source

    def counting(path: Path) -> engine.SourceFile:
        seen.append(Path(path).as_posix())
        return real(path)

    monkeypatch.setattr(engine, "read_source", counting)
    yield seen


@pytest.fixture
def no_racy_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files this test just wrote are indexed at once (a user's files were written long before)."""
    monkeypatch.setattr(source_index, "RACY_NS", -(10**12))


def _linted_copy(case: str, tmp_path: Path) -> Path:
    """A copy of history `case`, linted once as a folder (the cache filled)."""
    root = tmp_path / case
    shutil.copytree(HISTORIES / case, root)
    lint_in(root, ["migrations"])
    return root


def _members(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "migrations").rglob("*.*"))


@pytest.mark.parametrize("case", CASES)
def test_a_warm_run_reads_only_the_edited_file(
    case: str, tmp_path: Path, reads: list[str], no_racy_wait: None
) -> None:
    root = _linted_copy(case, tmp_path)
    members = _members(root)
    edited = members[len(members) // 2]
    path = root / edited
    path.write_bytes(path.read_bytes() + (b"\n# edited\n" if edited.endswith(".py") else b"\n-- edited\n"))
    reads.clear()
    warm = lint_in(root, [edited])
    assert reads == [edited]
    assert verdicts(warm) == verdicts(lint_in(root, [edited], cache=False))
    assert verdicts(lint_in(root, ["migrations"])) == verdicts(lint_in(root, ["migrations"], cache=False))
    reads.clear()
    lint_in(root, ["migrations"])
    assert reads == []  # all cached and indexed: nothing is read


@pytest.mark.parametrize("case", CASES)
def test_a_rewrite_that_keeps_size_and_mtime_is_read_again(
    case: str, tmp_path: Path, reads: list[str], no_racy_wait: None
) -> None:
    root = _linted_copy(case, tmp_path)
    member = _members(root)[0]
    path = root / member
    before = path.stat()
    text = path.read_text()
    # One letter's case flipped: same length, and with the mtime set back only the ctime (which no
    # tool sets back) tells the file changed.
    first = next(i for i, c in enumerate(text) if c.islower())
    path.write_text(text[:first] + text[first].upper() + text[first + 1 :])
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert path.read_text() != text
    reads.clear()
    warm = lint_in(root, ["migrations"])
    assert member in reads
    assert verdicts(warm) == verdicts(lint_in(root, ["migrations"], cache=False))


def test_a_file_written_moments_ago_is_not_indexed(tmp_path: Path) -> None:
    root = _linted_copy("pg_diesel_layout", tmp_path)
    store = lint_cache.Cache(Config(root=root)).sources
    assert store.entries == {}  # a second write within the same timestamp tick would go unseen


def test_only_clean_sql_files_and_revisions_are_indexed(tmp_path: Path, no_racy_wait: None) -> None:
    root = tmp_path / "project"
    (root / "versions").mkdir(parents=True)
    (root / "versions" / "0001.sql").write_text("CREATE TABLE t (id int);\n")
    (root / "versions" / "helpers.py").write_text("def upgrade_helper():\n    return 1\n")
    (root / "versions" / "0002.sql").write_bytes(b"CREATE TABLE \xff (id int);\n")
    lint_in(root, ["versions"])
    keys = lint_cache.Cache(Config(root=root)).sources.entries
    assert [key.rpartition("|")[2] for key in keys] == ["versions/0001.sql"]
