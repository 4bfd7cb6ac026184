"""Accuracy corpus: realistic migrations, each carrying the findings it must produce.

Every file under `tests/lint/accuracy/` is linted through the real engine, on its own, and the set of
(line, rule) found must equal the set its comments expect:

- `# expect: RS101, RS602` (SQL: `-- expect: RS101`) on the line where each finding must be;
- `# expect-line-above: RS004` on its own line, for a finding on the line above that cannot carry a
  comment of its own (a suppression comment, whose text up to the line end is its reason);
- `# expect-none` anywhere in a file that must lint clean;
- header lines `# dialect: mysql`, `# target-version: 11`, `-- in-transaction: true` set the
  configuration (dialect, target version, whether the runner wraps a .sql file in a transaction);
- `# xfail: reason` on an expectation line marks a known wrong rule: the test is reported as xfail
  while the mismatches stay on such lines, and fails once they are gone (so the marker is removed).

Info findings of RS002 (unrecognized statement) are ignored unless the file expects RS002.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pytest_releasesafe.config import Config
from pytest_releasesafe.engine import lint

CORPUS = Path(__file__).parent / "accuracy"

_COMMENT = r"(?:#|--)\s*"
_EXPECT = re.compile(_COMMENT + r"expect(-line-above)?:\s*(RS\d{3}(?:\s*,\s*RS\d{3})*)")
_EXPECT_NONE = re.compile(_COMMENT + r"expect-none\b")
_XFAIL = re.compile(_COMMENT + r"xfail:\s*(.+?)\s*$")
_HEADER = re.compile(r"^\s*" + _COMMENT + r"(dialect|target-version|in-transaction):\s*(\S+)\s*$", re.M)


@dataclass
class Expectations:
    findings: set[tuple[int, str]] = field(default_factory=set)
    xfail: dict[int, str] = field(default_factory=dict)  # line -> reason
    clean: bool = False
    settings: dict[str, object] = field(default_factory=dict)


def read_expectations(path: Path) -> Expectations:
    text = path.read_text(encoding="utf-8")
    expected = Expectations(clean=bool(_EXPECT_NONE.search(text)))
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _EXPECT.search(line):
            target = number - 1 if match.group(1) else number
            expected.findings |= {(target, code.strip()) for code in match.group(2).split(",")}
        if match := _XFAIL.search(line):
            expected.xfail[number] = match.group(1)
    for key, value in _HEADER.findall(text):
        if key == "dialect":
            expected.settings["dialect"] = value
        elif key == "target-version":
            expected.settings["target_version"] = int(value)
        elif key == "in-transaction":
            expected.settings["sql_in_transaction"] = value.lower() == "true"
    return expected


def corpus_files() -> list[Path]:
    files = sorted(CORPUS.rglob("*.sql"))
    # Alembic revisions live in versions/ folders next to their project's env.py.
    files += sorted(p for p in CORPUS.rglob("versions/*.py") if p.name != "__init__.py")
    return files


FILES = corpus_files()


def test_corpus_is_large_and_every_file_states_its_expectations() -> None:
    total = 0
    for path in FILES:
        expected = read_expectations(path)
        assert expected.clean != bool(expected.findings), (
            f"{path}: needs `expect:` lines or one `expect-none`, not both and not neither"
        )
        total += len(expected.findings)
    assert len(FILES) >= 40, f"corpus has {len(FILES)} files"
    assert total >= 200, f"corpus has {total} expectations"


@dataclass
class Comparison:
    missing: set[tuple[int, str]]
    unexpected: set[tuple[int, str]]
    messages: dict[tuple[int, str], str]

    @property
    def lines(self) -> set[int]:
        return {line for line, _ in self.missing | self.unexpected}

    def report(self) -> list[str]:
        lines = [f"  missing    {line:>4} {code}" for line, code in sorted(self.missing)]
        lines += [
            f"  unexpected {line:>4} {code}: {self.messages[(line, code)][:120]}"
            for line, code in sorted(self.unexpected)
        ]
        return lines


def compare(path: Path, expected: Expectations, root: Path = CORPUS) -> Comparison:
    """Lint `path` through the real engine, as configured by its header, against its expectations."""
    # The corpus is written file by file (README.md): each is judged on its own, not after its
    # siblings (tests/lint/test_lint_partial_history.py covers judging a file after its history).
    settings = {"cache": False, "root": root, "whole_history": False, **expected.settings}
    config = Config(**settings)  # type: ignore[arg-type]
    findings = lint([str(path)], config).findings
    wants_rs002 = any(code == "RS002" for _, code in expected.findings)
    found = {(f.line, f.rule) for f in findings if f.rule != "RS002" or wants_rs002}
    messages = {(f.line, f.rule): f.message for f in findings}
    return Comparison(expected.findings - found, found - expected.findings, messages)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_findings_match_expectations(path: Path) -> None:
    expected = read_expectations(path)
    result = compare(path, expected)
    if expected.xfail:
        stale = set(expected.xfail) - result.lines
        assert not stale, f"{path}: xfail lines {sorted(stale)} now lint as expected: remove their markers"
        if result.lines <= set(expected.xfail):
            pytest.xfail(
                "; ".join(f"line {line}: {reason}" for line, reason in sorted(expected.xfail.items()))
            )
    assert not result.report(), f"{path}: findings differ from the expectations\n" + "\n".join(
        result.report()
    )


def test_comparison_reports_wrong_expectations(tmp_path: Path) -> None:
    """The harness itself: a wrong line, a missing finding and an unexpected one are all reported."""
    migration = tmp_path / "V1__drop.sql"
    migration.write_text(
        "SET lock_timeout = '1s';\n"
        "ALTER TABLE users DROP COLUMN legacy;  -- expect: RS511, RS512\n"
        "-- expect: RS501\n"
        "ALTER TABLE users RENAME COLUMN a TO b;\n",
        encoding="utf-8",
    )
    expected = read_expectations(migration)
    result = compare(migration, expected, root=tmp_path)
    assert result.missing == {(2, "RS512"), (3, "RS501")}
    assert result.unexpected == {(4, "RS501")}
    assert "Renaming" in result.messages[(4, "RS501")]


def test_headers_configure_the_lint(tmp_path: Path) -> None:
    migration = tmp_path / "V1__default.sql"
    migration.write_text(
        "-- target-version: 10\n-- dialect: postgresql\n-- in-transaction: true\n"
        "SET LOCAL lock_timeout = '1s';\n"
        "ALTER TABLE users ADD COLUMN n integer NOT NULL DEFAULT 0;  -- expect: RS303\n",
        encoding="utf-8",
    )
    expected = read_expectations(migration)
    assert expected.settings == {"target_version": 10, "dialect": "postgresql", "sql_in_transaction": True}
    result = compare(migration, expected, root=tmp_path)
    assert not result.missing and not result.unexpected, result.report()
    migration.write_text(migration.read_text().replace("10", "15"), encoding="utf-8")
    assert compare(migration, read_expectations(migration), root=tmp_path).missing == {(5, "RS303")}
