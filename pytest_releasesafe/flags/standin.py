"""Give libcst only the top-level statements a removal can touch.

libcst is slow and large on big files (a 100k-line module costs minutes and gigabytes), while a
removal only changes the statements that check or name the flag. Every other top-level statement
is replaced by a one-line placeholder before libcst parses the file, and put back, byte for byte,
in the rewritten text. Imports, the docstring and any top-level function or class a kept
statement names stay real, so unused-import and unused-helper cleanup still sees them.

The segments also give each real statement its first line in the original file, so positions
can be computed per statement instead of for the whole module.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .spans import statement_spans

_PLACEHOLDER = "_releasesafe_kept_{}_ = 0"
_PLACEHOLDER_LINE = re.compile(r"^_releasesafe_kept_(\d+)_ = 0$", re.MULTILINE)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Segment:
    start: int  # first line (decorators included), 1-based
    end: int  # last line
    real: bool  # parsed by libcst; else a placeholder


@dataclass(frozen=True)
class Standin:
    text: str  # what libcst parses
    segments: list[Segment]  # one per top-level statement of ``text``, in order
    _kept: list[str]  # original text of each placeholder

    def expand(self, code: str) -> str:
        """The rewritten stand-in with every placeholder replaced by the original statement."""
        return _PLACEHOLDER_LINE.sub(lambda match: self._kept[int(match.group(1))], code)


def build_standin(source: str, tree: ast.Module, touched_lines: Iterable[int]) -> Standin:
    """The stand-in for ``source`` (parsed as ``tree``); ``source`` itself when all of it is needed."""
    lines = source.splitlines(keepends=True)
    spans = statement_spans(tree)
    touched = set(touched_lines)
    real = [
        span.imports
        or (position == 0 and span.expression)  # the docstring: new imports go after it
        or any(line in touched for line in range(span.start, span.end + 1))
        for position, span in enumerate(spans)
    ]
    # A top-level function or class that a real statement names may become unused: keep it real.
    named: dict[str, int] = {span.defines: position for position, span in enumerate(spans) if span.defines}
    pending = [position for position, is_real in enumerate(real) if is_real]
    while pending:
        span = spans[pending.pop()]
        for word in set(_WORD.findall("".join(lines[span.start - 1 : span.end]))):
            position = named.get(word)
            if position is not None and not real[position]:
                real[position] = True
                pending.append(position)
    if all(real):
        return Standin(source, [Segment(span.start, span.end, True) for span in spans], [])
    pieces: list[str] = []
    kept: list[str] = []
    segments: list[Segment] = []
    cursor = 0  # next original line (0-based) not yet copied
    for span, is_real in zip(spans, real, strict=True):
        start, end = span.start, span.end
        pieces.append("".join(lines[cursor : start - 1]))  # comments and blank lines between
        body = "".join(lines[start - 1 : end])
        if is_real:
            pieces.append(body)
        else:
            ends_line = body.endswith("\n")  # not so for the last line of a file without a final newline
            pieces.append(_PLACEHOLDER.format(len(kept)) + ("\n" if ends_line else ""))
            kept.append(body[:-1] if ends_line else body)
        segments.append(Segment(start, end, is_real))
        cursor = end
    pieces.append("".join(lines[cursor:]))
    return Standin("".join(pieces), segments, kept)
