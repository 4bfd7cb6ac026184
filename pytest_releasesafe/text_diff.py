"""Unified diffs of large files with many scattered edits, in about linear time.

`difflib.unified_diff` matches the two whole files at once; on a 110k-line module with thousands of
small edits (a flag removed everywhere) that takes minutes. Edits of ours are local, so the files are
first cut at anchors, lines that occur exactly once in each file, kept in the same order in both
(the longest such chain, as patience diff does), and difflib only matches the short stretches
between two anchors. The output is a valid unified diff in difflib's format; on small inputs it is
difflib's own.
"""

from __future__ import annotations

import difflib
from bisect import bisect_left
from collections.abc import Iterator, Sequence

Opcode = tuple[str, int, int, int, int]

_SMALL = 2000  # below this many lines difflib is fast enough: use it as it is


def unified_diff(before: Sequence[str], after: Sequence[str], fromfile: str, tofile: str) -> Iterator[str]:
    """Lines of a unified diff (3 lines of context) from `before` to `after` (lines with their ends)."""
    if len(before) + len(after) < _SMALL:
        yield from difflib.unified_diff(before, after, fromfile=fromfile, tofile=tofile)
        return
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    matcher.opcodes = _opcodes(before, after)  # type: ignore[attr-defined]  # grouping reads it
    started = False
    for group in matcher.get_grouped_opcodes(3):
        if not started:
            yield f"--- {fromfile}\n"
            yield f"+++ {tofile}\n"
            started = True
        first, last = group[0], group[-1]
        yield f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (" " + line for line in before[i1:i2])
                continue
            yield from ("-" + line for line in before[i1:i2])
            yield from ("+" + line for line in after[j1:j2])


def _range(start: int, stop: int) -> str:
    """difflib's unified range: 1-based start, and the length unless it is 1."""
    length = stop - start
    beginning = start + 1 if length else start
    return str(beginning) if length == 1 else f"{beginning},{length}"


def _opcodes(before: Sequence[str], after: Sequence[str]) -> list[Opcode]:
    opcodes: list[Opcode] = []
    i = j = 0
    for anchor_i, anchor_j in (*_anchors(before, after), (len(before), len(after))):
        stretch = difflib.SequenceMatcher(None, before[i:anchor_i], after[j:anchor_j], autojunk=False)
        for tag, i1, i2, j1, j2 in stretch.get_opcodes():
            _append(opcodes, (tag, i + i1, i + i2, j + j1, j + j2))
        if anchor_i < len(before):
            _append(opcodes, ("equal", anchor_i, anchor_i + 1, anchor_j, anchor_j + 1))
        i, j = anchor_i + 1, anchor_j + 1
    return opcodes or [("equal", 0, 0, 0, 0)]


def _append(opcodes: list[Opcode], opcode: Opcode) -> None:
    if opcode[1] == opcode[2] and opcode[3] == opcode[4]:
        return
    if opcodes and opcodes[-1][0] == opcode[0] == "equal":
        tag, i1, _, j1, _ = opcodes.pop()
        opcode = (tag, i1, opcode[2], j1, opcode[4])
    opcodes.append(opcode)


def _anchors(before: Sequence[str], after: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) of lines unique in both files, the longest chain increasing in both."""
    seen_before: dict[str, int] = {}
    for index, line in enumerate(before):
        seen_before[line] = -1 if line in seen_before else index
    seen_after: dict[str, int] = {}
    for index, line in enumerate(after):
        seen_after[line] = -1 if line in seen_after else index
    pairs = [
        (i, seen_after[line]) for line, i in seen_before.items() if i >= 0 and seen_after.get(line, -1) >= 0
    ]
    pairs.sort()
    # Longest increasing subsequence of the j's (patience sorting), kept with back links.
    tails: list[int] = []  # tails[k]: j of the smallest tail of a chain of length k + 1
    tail_index: list[int] = []  # index in `pairs` of that tail
    previous: list[int] = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        length = bisect_left(tails, j)
        if length == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[length] = j
            tail_index[length] = index
        previous[index] = tail_index[length - 1] if length else -1
    chain: list[tuple[int, int]] = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        chain.append(pairs[index])
        index = previous[index]
    return chain[::-1]
