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


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_findings_match_expectations(path: Path) -> None:
    expected = read_expectations(path)
    config = Config(cache=False, root=CORPUS, **expected.settings)  # type: ignore[arg-type]
    findings = lint([str(path)], config).findings
    wants_rs002 = any(code == "RS002" for _, code in expected.findings)
    found = {(f.line, f.rule) for f in findings if f.rule != "RS002" or wants_rs002}
    messages = {(f.line, f.rule): f.message for f in findings}

    missing = expected.findings - found
    unexpected = found - expected.findings
    report = [f"  missing    {line:>4} {code}" for line, code in sorted(missing)]
    report += [
        f"  unexpected {line:>4} {code}: {messages[(line, code)][:120]}" for line, code in sorted(unexpected)
    ]

    mismatched_lines = {line for line, _ in missing | unexpected}
    if expected.xfail:
        stale = set(expected.xfail) - mismatched_lines
        assert not stale, f"{path}: xfail lines {sorted(stale)} now lint as expected: remove their markers"
        if mismatched_lines <= set(expected.xfail):
            pytest.xfail(
                "; ".join(f"line {line}: {reason}" for line, reason in sorted(expected.xfail.items()))
            )
    assert not report, f"{path}: findings differ from the expectations\n" + "\n".join(report)
