"""Parse a large file a few thousand lines at a time, so its whole tree is never in memory.

The standard-library tree of a 100k-line module takes ~400 MB. A file is cut before lines that
can start a top-level statement (column 0, not a comment, a closing bracket or an ``else``/
``elif``/``except``/``finally``); each chunk is parsed on its own, prefixed with blank lines so
its line numbers are the file's. A cut inside a string, a bracket or a continued line leaves the
chunk before it unparsable, and that chunk is then grown until it parses; if the file's end is
reached that way, it does not parse in chunks and is parsed whole (which reports the error, or
reads newer syntax, as for any file).
"""

from __future__ import annotations

import ast
import bisect
import importlib.util
import re
from collections.abc import Iterator

CHUNK_LINES = 5000  # a chunk's tree is ~20 MB; files under two chunks are parsed whole
_CONTINUES = re.compile(r"(?:else|elif|except|finally)\b")


class NotInChunks(Exception):
    """The file does not parse cut into chunks: parse it whole."""


class OffPlan(Exception):
    """The chunks are not where ``Chunks.planned`` put them."""


def _may_start_statement(line: str) -> bool:
    return bool(line) and line[0] not in " \t\f#)]}\r" and not _CONTINUES.match(line)


class Chunks:
    """The chunks of one file's text, parsed one at a time (again on request)."""

    def __init__(self, data: bytes) -> None:
        if data.count(b"\n") < 2 * CHUNK_LINES:
            raise NotInChunks("small enough to parse whole")
        try:
            text = importlib.util.decode_source(data)  # BOM, coding line, universal newlines
        except (SyntaxError, UnicodeDecodeError, LookupError) as error:
            raise NotInChunks(str(error)) from error
        self._lines = text.split("\n")
        self._cuts = [number for number, line in enumerate(self._lines) if _may_start_statement(line)]
        self.ranges: list[tuple[int, int]] = []  # (first line index, end index) of each chunk parsed

    def lines(self, start: int, end: int) -> list[str]:
        """The text's lines ``start``..``end`` - 1 (0-based), without their line ends."""
        return self._lines[start:end]

    def _parse(self, start: int, end: int) -> ast.Module:
        return ast.parse("\n" * start + "\n".join(self._lines[start:end]))

    def __iter__(self) -> Iterator[ast.Module]:
        return self.parsed()

    def _end(self, start: int, size: int) -> int:
        position = bisect.bisect_left(self._cuts, start + size)
        return self._cuts[position] if position < len(self._cuts) else len(self._lines)

    def planned(self) -> list[int]:
        """Where each chunk starts if every one parses at its first cut (the usual case)."""
        starts = [0]
        while (end := self._end(starts[-1], CHUNK_LINES)) < len(self._lines):
            starts.append(end)
        return starts

    def parsed(self, start: int = 0, stop: int | None = None, strict: bool = False) -> Iterator[ast.Module]:
        """The chunks from line index ``start`` on, to ``stop`` (a chunk start of ``planned``) or
        the end. ``strict``: a chunk that does not parse at its first cut raises OffPlan instead
        of being grown; so does reaching past ``stop``."""
        total = len(self._lines)
        while start < total and start != stop:
            if stop is not None and start > stop:
                raise OffPlan(f"a chunk grew past line {stop + 1}")
            size = CHUNK_LINES
            while True:
                end = self._end(start, size)
                try:
                    tree = self._parse(start, end)
                except (SyntaxError, ValueError) as error:
                    if strict:
                        raise OffPlan(str(error)) from error
                    if end >= total:
                        raise NotInChunks(str(error)) from error
                    size *= 2
                    continue
                break
            self.ranges.append((start, end))
            yield tree
            start = end

    def again(self, chunk: int) -> ast.Module:
        return self._parse(*self.ranges[chunk])
