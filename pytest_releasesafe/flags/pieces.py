"""A module as a list of top-level statements, edited a few statements at a time.

libcst costs seconds and hundreds of MB on a 100k-line file, while a removal changes only the
statements that check the flag. Here the file is cut into *pieces*: each top-level statement with
the blank and comment lines before it. An edit gets a *window*: the statements it changes, real,
plus one neighbour on each side as a one-line placeholder (so the block rules of blocks.py, which
look at the statement before and after a dropped one, see what they would see in the whole
module). The window is parsed by libcst, edited by the same transformers as a whole module, and
its pieces replace the old ones; statements outside every window are never parsed by libcst.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import libcst as cst

from .newer_syntax import parse_python
from .spans import Span, statement_spans

_PLACEHOLDER = "_releasesafe_piece_{}_ = 0"
_PLACEHOLDER_LINE = re.compile(r"^_releasesafe_piece_(\d+)_ = 0$", re.MULTILINE)
_KEYS = itertools.count(1)


def next_key() -> int:
    """A number no piece of this process has had."""
    return next(_KEYS)


class WindowRefused(Exception):
    """The edit reached beyond its window (e.g. dropped the statement after it): the caller edits
    the whole module instead."""


@dataclass(frozen=True)
class Piece:
    gap: str  # the blank and comment lines before the statement
    body: str  # the statement's own lines (decorators included)
    start: int = 0  # first line of ``body`` in the file as read (0: made by an edit)
    end: int = 0  # its last line
    function: str | None = None  # a top-level def's name: a helper that may become unused
    imports: bool = False  # an import line (``import a; b = 1`` too)
    key: int = field(default_factory=next_key)  # the same statement across edits


@dataclass
class Pieces:
    pieces: list[Piece]
    tail: str  # lines after the last statement

    @property
    def text(self) -> str:
        return "".join(piece.gap + piece.body for piece in self.pieces) + self.tail


def _lines(source: str) -> list[str]:
    """Lines as Python numbers them: only "\n" ends one (str.splitlines also splits on form feeds)."""
    lines = [line + "\n" for line in source.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def split_pieces(source: str, spans: list[Span]) -> Pieces:
    """``source`` cut into its top-level statements (``spans``, from statement_spans)."""
    lines = _lines(source)
    pieces: list[Piece] = []
    cursor = 0  # next line (0-based) not yet in a piece
    for span in spans:
        gap, body = "".join(lines[cursor : span.start - 1]), "".join(lines[span.start - 1 : span.end])
        pieces.append(Piece(gap, body, span.start, span.end, span.function, span.imports))
        cursor = span.end
    return Pieces(pieces, "".join(lines[cursor:]))


def windows(positions: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive runs of ``positions`` (sorted) whose neighbours do not overlap another run's."""
    runs: list[tuple[int, int]] = []
    for position in positions:
        if runs and position - runs[-1][1] <= 2:
            runs[-1] = (runs[-1][0], position)
        else:
            runs.append((position, position))
    return runs


@dataclass(frozen=True)
class Window:
    module: cst.Module
    segments: list[tuple[int, int]]  # (first, last line) of each statement of ``module``
    placeholders: dict[int, int]  # id of a placeholder statement -> its piece's position
    sources: dict[int, str]  # id of a real statement -> its source text


def _placeholder(number: int, body: str) -> str:
    # The last line of a file without a final newline has none: neither has its placeholder.
    return _PLACEHOLDER.format(number) + ("\n" if body.endswith("\n") else "")


@dataclass(frozen=True)
class Edited:
    """What an edit did to a window."""

    old: str  # the real statements it was given, as they were
    code: str  # the window as edited, neighbours as placeholders: compile it to check the edit
    tree: ast.Module  # ``code`` parsed (its placeholders bind names no real code uses)


def edit_window(
    whole: Pieces,
    first: int,
    last: int,
    real: Callable[[int], bool],
    edit: Callable[[Window], cst.Module | None],
) -> Edited | None:
    """Edit pieces ``first``..``last`` (those for which ``real`` is false stay placeholders) with
    ``edit`` (None: nothing to change) and put the result in ``whole``; None when nothing changed.
    Raises WindowRefused when the edit reached beyond the window, cst.ParserSyntaxError when libcst
    cannot read it."""
    pieces = whole.pieces
    low = max(first - 1, 0)
    high = min(last + 1, len(pieces) - 1)
    at_end = high == len(pieces) - 1
    texts: list[str] = []
    sources: dict[int, str] = {}
    for position in range(low, high + 1):
        piece = pieces[position]
        if position > low or low == first:  # the statement before the window keeps its gap
            texts.append(piece.gap)
        texts.append(
            piece.body if _is_real(position, first, last, real) else _placeholder(position, piece.body)
        )
    if at_end:
        texts.append(whole.tail)
    module = cst.parse_module("".join(texts))
    shown = range(low, high + 1)
    placeholders: dict[int, int] = {}
    for statement, position in zip(module.body, shown, strict=True):
        if _is_real(position, first, last, real):
            sources[id(statement)] = pieces[position].body
        else:
            placeholders[id(statement)] = position
    segments = [(pieces[position].start, pieces[position].end) for position in shown]
    edited = edit(Window(module, segments, placeholders, sources))
    if edited is None:
        return None
    code = edited.code
    try:
        tree = parse_python(code)
    except (SyntaxError, ValueError) as error:
        raise WindowRefused(f"the edited window does not parse ({error})") from error
    new_pieces, tail = _resplit(code, tree, pieces)
    if (low < first and (not new_pieces or new_pieces[0].key != pieces[low].key)) or (
        high > last and (not new_pieces or new_pieces[-1].key != pieces[high].key)
    ):
        raise WindowRefused("the edit changed the statements around the window")
    if low < first:  # its gap was not in the window
        new_pieces[0] = replace(new_pieces[0], gap=pieces[low].gap)
    old = "".join(pieces[position].body for position in range(first, last + 1) if real(position))
    whole.pieces[low : high + 1] = new_pieces
    if at_end:
        whole.tail = tail
    return Edited(old, code, tree)


_GAP_LINE = re.compile(r"[ \t]*(#[^\r\n\f]*)?\n")


def drop_pieces(whole: Pieces, first: int, last: int, doomed: set[int]) -> bool:
    """Drop the ``doomed`` pieces among ``first``..``last``, comments and all, as edit_window with a
    libcst rebuild of placeholders would (blocks.apply_decisions with a Decision that keeps no
    comments), without parsing anything: a dropped piece goes with its gap, and the piece after a
    run of dropped ones gets one blank line if the run was set off by one and it has none of its
    own. False (nothing done) where that reading of the text is not certain: the first statement
    of the file (libcst gives its comments to the module header), a ``\r`` or form feed, or a gap
    line that is not blank or a comment."""
    pieces = whole.pieces
    if first == 0:
        return False
    high = min(last + 1, len(pieces) - 1)
    for position in range(first, high + 1):
        gap = pieces[position].gap
        if "\r" in gap or "\r" in pieces[position].body:
            return False
        if gap and not all(_GAP_LINE.fullmatch(line) for line in gap.splitlines(keepends=True)):
            return False
    kept: list[Piece] = []
    separated = False
    for position in range(first, high + 1):
        piece = pieces[position]
        if position in doomed:
            separated = separated or _starts_blank(piece.gap)
            continue
        if separated and not _starts_blank(piece.gap):
            piece = replace(piece, gap="\n" + piece.gap)
        separated = False
        kept.append(piece)
    whole.pieces[first : high + 1] = kept
    return True


def _starts_blank(gap: str) -> bool:
    """Is the first line of ``gap`` blank (libcst: an EmptyLine without a comment)?"""
    return bool(gap) and not gap.split("\n", 1)[0].lstrip(" \t").startswith("#")


def _is_real(position: int, first: int, last: int, real: Callable[[int], bool]) -> bool:
    return first <= position <= last and real(position)


def _resplit(code: str, tree: ast.Module, pieces: list[Piece]) -> tuple[list[Piece], str]:
    """The edited window as pieces (placeholders back to the statements they stand for) and what
    follows its last statement."""
    lines = _lines(code)
    result: list[Piece] = []
    cursor = 0
    for span in statement_spans(tree):
        gap, body = "".join(lines[cursor : span.start - 1]), "".join(lines[span.start - 1 : span.end])
        cursor = span.end
        placeholder = _PLACEHOLDER_LINE.fullmatch(body.rstrip("\n"))
        if placeholder is None:
            result.append(Piece(gap, body, function=span.function, imports=span.imports))
        else:
            result.append(replace(pieces[int(placeholder.group(1))], gap=gap))
    return result, "".join(lines[cursor:])
