"""The large-file unified diff: a patch that turns the old text into the new one, hunk by hunk."""

from __future__ import annotations

import difflib
import random
import re

import pytest

from pytest_releasesafe.text_diff import unified_diff

HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$")


def apply(before: list[str], diff: list[str]) -> list[str]:
    """Apply a unified diff strictly: every context and removed line must be where the hunk says."""
    assert diff[0].startswith("--- ") and diff[1].startswith("+++ ")
    result: list[str] = []
    position = 0
    lines = iter(diff[2:])
    for header in lines:
        match = HUNK.match(header.rstrip("\n"))
        assert match, header
        old_length = int(match[2]) if match[2] is not None else 1
        new_length = int(match[4]) if match[4] is not None else 1
        start = int(match[1]) - 1 if old_length else int(match[1])
        assert start >= position, "hunks overlap or go backwards"
        result += before[position:start]
        position = start
        while old_length or new_length:
            line = next(lines)
            if line[0] in " -":
                assert before[position] == line[1:], (position, line)
                position += 1
                old_length -= 1
            if line[0] in " +":
                result.append(line[1:])
                new_length -= 1
    return result + before[position:]


def _module(rng: random.Random, functions: int) -> list[str]:
    lines = ["import waffle\n", "\n"]
    for n in range(functions):
        lines += [
            "\n",
            f"def view_{n}(request):\n",
            "    if waffle.flag_is_active(request, 'new_checkout'):\n"
            if rng.random() < 0.4
            else "    pass\n",
            "        return new()\n" if rng.random() < 0.5 else "    x = 1\n",
            "    return old()\n",
        ]
    return lines


def _edited(rng: random.Random, lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if "flag_is_active" in line:
            continue  # a check removed
        if line.strip() == "x = 1" and rng.random() < 0.3:
            out += ["    x = 2\n", "    y = 3\n"]
            continue
        out.append(line)
    return out + ["\n", "# end\n"]


@pytest.mark.parametrize("functions", [5, 300, 3000])
def test_the_diff_applies_exactly_and_small_inputs_get_difflibs_own(functions: int) -> None:
    rng = random.Random(functions)
    before = _module(rng, functions)
    after = _edited(rng, before)
    diff = list(unified_diff(before, after, "a/app.py", "b/app.py"))
    assert apply(before, diff) == after
    if len(before) + len(after) < 2000:
        assert diff == list(difflib.unified_diff(before, after, fromfile="a/app.py", tofile="b/app.py"))


def test_identical_texts_give_no_diff() -> None:
    lines = [f"line {n}\n" for n in range(5000)]
    assert list(unified_diff(lines, list(lines), "a", "b")) == []
