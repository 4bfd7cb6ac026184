"""A large file is parsed in chunks (chunks.py): the scan and the removal must not notice.

Chunks are made tiny here (a few lines), so every file below is cut in many places, including
inside strings, brackets and continued lines, between decorators and their function, before an
``else`` at column 0. The scan's JSON and the removal's text must equal those of a whole parse.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_releasesafe.flags import chunks

from .conftest import removal_outcome, run_removal, write_project

TRICKY = '''\
"""Module docstring.

def not_code():
    is_on("new_flow")
"""

import functools

from app.flags import is_on

TABLE = [
    1,
2,
]
TOTAL = 1 + \\
2


def decorate(function):
    return function


def early():
    return late("new_flow")  # imported at the end of the file


@decorate

def first():
    if is_on("new_flow"):
        return 1
    return 2


if TOTAL:
    MODE = is_on("new_flow")
else:
    MODE = False

try:
    import json
except ImportError:
    json = None
finally:
    READY = True

TEXT = """
class Fake:
    pass
"""


class View:
    def get(self):
        name = "new_flow"
        return is_on(name)


def later():
    from app.flags import is_on as check

    return check("new_flow")


def last():
    return "new" if is_on("new_flow") else "old"


from app.flags import is_on as late
'''


@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_scan_and_removal_in_chunks_equal_a_whole_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    results = []
    for chunk_lines in (10**9, size):
        monkeypatch.setattr(chunks, "CHUNK_LINES", chunk_lines)
        root = tmp_path / f"lines-{chunk_lines}"
        root.mkdir()
        write_project(root, {"app/mod.py": TRICKY})
        results.append(removal_outcome(root))
    whole, in_chunks = results
    assert {reference[0] for reference in whole[0]} == {24, 30, 36, 56, 62, 66}  # across every cut
    assert in_chunks == whole
    compile(in_chunks[1], "mod.py", "exec", dont_inherit=True)


def test_a_syntax_error_is_reported_at_its_line_in_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chunks, "CHUNK_LINES", 2)
    broken = TRICKY.replace("def last():", "def last(:")
    root = write_project(tmp_path, {"app/mod.py": broken})
    result = run_removal(root, "new_flow", True)
    line = broken.splitlines().index("def last(:") + 1
    problems = [
        (finding.rule, finding.line) for finding in result.scan.findings if finding.path.endswith("mod.py")
    ]
    assert problems == [("RSF009", line)]
