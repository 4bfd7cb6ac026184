"""The source index: a warm run takes unchanged files' digests and revision headers from the cache
by their stat instead of reading them, and any change to a file, even one that keeps its size and
mtime, is read again. Verdicts never differ from a lint without any cache."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pytest_releasesafe import engine, lint_cache, source_index
from pytest_releasesafe.config import Config

HISTORIES = Path(__file__).parent / "accuracy_histories"
CASES = ["alembic_revision_graph_order", "pg_diesel_layout"]


def _lint(root: Path, paths: list[str], **settings: object) -> engine.LintResult:
    here = os.getcwd()
    os.chdir(root)
    try:
        return engine.lint(paths, Config(root=root, **settings))  # type: ignore[arg-type]
    finally:
        os.chdir(here)


def _verdicts(result: engine.LintResult) -> list[tuple[str, int, str, str]]:
    return [(f.path, f.line, f.rule, f.message) for f in result.findings]


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


def _members(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "migrations").rglob("*.*"))


@pytest.mark.parametrize("case", CASES)
def test_a_warm_run_reads_only_the_edited_file(
    case: str, tmp_path: Path, reads: list[str], no_racy_wait: None
) -> None:
    root = tmp_path / case
    shutil.copytree(HISTORIES / case, root)
    _lint(root, ["migrations"])
    members = _members(root)
    edited = members[len(members) // 2]
    path = root / edited
    path.write_bytes(path.read_bytes() + (b"\n# edited\n" if edited.endswith(".py") else b"\n-- edited\n"))
    reads.clear()
    warm = _lint(root, [edited])
    assert reads == [edited]
    assert _verdicts(warm) == _verdicts(_lint(root, [edited], cache=False))
    assert _verdicts(_lint(root, ["migrations"])) == _verdicts(_lint(root, ["migrations"], cache=False))
    reads.clear()
    _lint(root, ["migrations"])
    assert reads == []  # all cached and indexed: nothing is read


@pytest.mark.parametrize("case", CASES)
def test_a_rewrite_that_keeps_size_and_mtime_is_read_again(
    case: str, tmp_path: Path, reads: list[str], no_racy_wait: None
) -> None:
    root = tmp_path / case
    shutil.copytree(HISTORIES / case, root)
    _lint(root, ["migrations"])
    member = _members(root)[0]
    path = root / member
    before = path.stat()
    text = path.read_text()
    # Same length, same mtime: only the ctime (which no tool sets back) tells the file changed.
    path.write_text(
        text.replace("CREATE INDEX ", "CREATE UNIQUE ", 1) if "CREATE INDEX " in text else text + " "
    )
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    reads.clear()
    warm = _lint(root, ["migrations"])
    assert member in reads
    assert _verdicts(warm) == _verdicts(_lint(root, ["migrations"], cache=False))


def test_a_file_written_moments_ago_is_not_indexed(tmp_path: Path) -> None:
    root = tmp_path / "history"
    shutil.copytree(HISTORIES / "pg_diesel_layout", root)
    _lint(root, ["migrations"])
    store = lint_cache.Cache(Config(root=root)).sources
    assert store.entries == {}  # a second write within the same timestamp tick would go unseen


def test_only_clean_sql_files_and_revisions_are_indexed(tmp_path: Path, no_racy_wait: None) -> None:
    root = tmp_path / "project"
    (root / "versions").mkdir(parents=True)
    (root / "versions" / "0001.sql").write_text("CREATE TABLE t (id int);\n")
    (root / "versions" / "helpers.py").write_text("def upgrade_helper():\n    return 1\n")
    (root / "versions" / "0002.sql").write_bytes(b"CREATE TABLE \xff (id int);\n")
    _lint(root, ["versions"])
    keys = lint_cache.Cache(Config(root=root)).sources.entries
    assert [key.rpartition("|")[2] for key in keys] == ["versions/0001.sql"]
