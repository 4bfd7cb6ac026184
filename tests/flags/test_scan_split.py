"""A large file's chunks read in two processes (the second half forked) give what one process gives.

Chunks are made a few lines long, so a small file has the chunks of a large one. Compared: the
scan's references, the removal's text and notes, with the file read whole, in chunks by one
process, and in chunks by two. The files use in their second half what their first half binds
(a helper, a constant key, an alias, an import written over several lines, which the forked half
cannot guess and must look up again), and one is cut where the plan does not hold (in a string).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_releasesafe.flags import chunks, scan

from .conftest import removal_outcome, write_project

FIRST_HALF_BINDS = '''\
"""Uses across the middle of the file."""

from app.flags import (
    is_on as multi_line_alias,
)
from app.flags import is_on

KEY = "new_flow"


def helper(cart):
    return sum(cart)


def early():
    if is_on("new_flow"):
        return 1
    return 2


def spacer_one():
    return 1


def spacer_two():
    return 2


def spacer_three():
    return 3


def late():
    if is_on(KEY):
        return helper([1])
    return 0


def later():
    return "new" if multi_line_alias("new_flow") else "old"


def last():
    name = "new_flow"
    return is_on(name)
'''

OFF_PLAN = FIRST_HALF_BINDS.replace(
    "def spacer_two():\n", 'TEXT = """\ndef spacer_two():\n    x = 1\n"""\n\n\ndef spacer_two():\n'
)


@pytest.mark.parametrize("text", [FIRST_HALF_BINDS, OFF_PLAN], ids=["on-plan", "off-plan"])
@pytest.mark.parametrize("size", [3, 8])
def test_two_processes_read_a_large_file_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, size: int
) -> None:
    forked: list[bool] = []
    real = scan.side_by_side

    def watched(child: object, here: object) -> object:
        later, mine = real(child, here)  # type: ignore[arg-type]
        forked.append(later is not None)
        return later, mine

    monkeypatch.setattr(scan, "side_by_side", watched)
    outcomes = []
    for chunk_lines, split_from in ((10**9, 10**9), (size, 10**9), (size, 4)):
        monkeypatch.setattr(chunks, "CHUNK_LINES", chunk_lines)
        monkeypatch.setattr(scan, "_SPLIT_FROM", split_from)
        root = tmp_path / f"{chunk_lines}-{split_from}"
        root.mkdir()
        write_project(root, {"app/mod.py": text})
        outcomes.append(removal_outcome(root))
    whole, one_process, two_processes = outcomes
    checks = ('is_on("new_flow")', "is_on(KEY)", 'multi_line_alias("new_flow")', "is_on(name)")
    lines = {number for number, line in enumerate(text.splitlines(), 1) if any(c in line for c in checks)}
    assert {reference[0] for reference in whole[0]} == lines and len(lines) == 4
    assert one_process == whole
    assert two_processes == whole
    if text is FIRST_HALF_BINDS:
        assert forked == [True]  # the forked half was used, not read again here
    compile(two_processes[1], "mod.py", "exec", dont_inherit=True)


def test_what_the_forked_half_cannot_guess_is_looked_up_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chunks, "CHUNK_LINES", 3)
    monkeypatch.setattr(scan, "_SPLIT_FROM", 4)
    looked_up: list[int] = []
    real = chunks.Chunks.again

    def again(self: chunks.Chunks, chunk: int) -> object:
        looked_up.append(chunk)
        return real(self, chunk)

    monkeypatch.setattr(chunks.Chunks, "again", again)
    write_project(tmp_path, {"app/mod.py": FIRST_HALF_BINDS})
    references, _, _ = removal_outcome(tmp_path)
    assert looked_up  # `multi_line_alias` is bound on a line without `import`
    line = (
        FIRST_HALF_BINDS.splitlines().index('    return "new" if multi_line_alias("new_flow") else "old"') + 1
    )
    assert line in {reference[0] for reference in references}


def test_the_guess_reads_imports_and_top_level_names_from_the_text() -> None:
    imported, defined = scan._guess_callable(
        ["import a.b as c", "from .x import (y,", "    z)", "def f():", "    g = 1", "K: int = 2", "L == 3"]
    )
    assert {"a", "b", "c", "y"} <= imported and "z" not in imported
    assert defined == {"f", "K"}  # not `L == 3`, not the indented `g`
