"""The removal one window of top-level statements at a time (see pieces.py), same result as whole.

The rewrite itself runs FlagRemover on each window of statements that check or name the flag.
The clean-up that follows (helpers and imports only the removed code used) needs to know how
often each name is used in the whole file: that is counted from the windows that changed (before
and after) plus, for the few names whose use went down, the other statements that mention them,
each parsed on its own with the standard-library parser. Whatever needs the module as a whole
(adding an import for ``Http404``, an import inside a function becoming unused, a rewrite that
reaches past its window) raises WindowRefused: the caller then rewrites the whole module.
Windows share no statement, so a file with many is rewritten by two processes, half each.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import libcst as cst

from .blocks import rebuild_module
from .cleanup import MAX_ROUNDS, name_uses, narrow_top_level_imports, unused_helper
from .codemod import HTTP404, FlagRemover, Note
from .config import FlagsConfig
from .forking import can_split, side_by_side
from .newer_syntax import check_compiles
from .pieces import Edited, Piece, Pieces, Window, WindowRefused, drop_pieces, edit_window, next_key, windows
from .summary import ModuleSummary, ProjectIndex

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _compiled(edited: Edited, shown: str) -> None:
    try:
        compile(edited.tree, shown, "exec", dont_inherit=True)
    except SyntaxError:
        try:  # newer syntax than this Python's, read through libcst: as check_compiles judges it
            check_compiles(edited.code, shown)
        except (SyntaxError, ValueError) as error:
            raise WindowRefused(f"a window would not compile ({error})") from error


@dataclass(frozen=True)
class _Rewrite:
    """What every window of one file is rewritten with."""

    shown: str
    flag: str
    value: bool
    summary: ModuleSummary
    index: ProjectIndex
    config: FlagsConfig
    expected: list[int]  # lines of the scan's checks, sorted


@dataclass
class _Done:
    """One window rewritten: what the caller needs of it, and the pieces it put in place of
    ``whole.pieces[low : high + 1]`` (None when nothing changed)."""

    notes: list[Note]
    handled: list[int]
    delta: Counter[str]
    low: int = 0
    high: int = 0
    pieces: list[Piece] | None = None
    tail: str | None = None  # the file's new tail, when the window reached the end


def _rewrite_window(whole: Pieces, first: int, last: int, job: _Rewrite) -> _Done:
    removers: list[FlagRemover] = []

    def edit(window: Window) -> cst.Module | None:
        remover = FlagRemover(
            job.flag,
            job.value,
            window.module,
            job.summary,
            job.index,
            job.config,
            window.segments,
            window.sources,
        )
        removers.append(remover)
        rewritten = window.module.visit(remover)
        if not remover.changed:
            return None
        if remover.needs_http404 and HTTP404 not in job.summary.imports:
            raise WindowRefused("the rewrite adds an import")
        return rewritten

    expected = job.expected
    start, end = whole.pieces[first].start, whole.pieces[last].end
    inside = expected[bisect.bisect_left(expected, start) : bisect.bisect_right(expected, end)]
    before = len(whole.pieces)
    low, high = max(first - 1, 0), min(last + 1, before - 1)
    outcome = edit_window(whole, first, last, lambda position: True, edit)
    done = _Done(removers[0].notes, removers[0].handled_lines(inside), Counter())
    if outcome is not None:
        _count(done.delta, outcome, job.shown)
        done.low, done.high = low, high
        done.pieces = whole.pieces[low : high + 1 + len(whole.pieces) - before]
        done.tail = whole.tail if high == before - 1 else None
    return done


def rewrite_pieces(
    whole: Pieces,
    shown: str,
    flag: str,
    value: bool,
    summary: ModuleSummary,
    index: ProjectIndex,
    config: FlagsConfig,
    used_elsewhere: Callable[[str], bool],
    touched: Iterable[int],
    expected: Iterable[int],
) -> tuple[bool, list[Note], list[int], Counter[str]]:
    """Rewrite the statements of ``whole`` holding a ``touched`` line. (whether anything changed,
    notes, lines of the checks dealt with, change in each name's use count)."""
    starts = [piece.start for piece in whole.pieces]
    positions = sorted(
        {
            position
            for line in touched
            for position in (bisect.bisect_right(starts, line) - 1,)
            if position >= 0 and line <= whole.pieces[position].end
        }
    )
    job = _Rewrite(shown, flag, value, summary, index, config, sorted(expected))
    runs = windows(positions)
    if len(runs) >= PARALLEL_FROM and can_split():
        done = in_two_processes(whole, runs, job)
    else:
        # From the end: the positions of the windows before stay valid.
        done = [_rewrite_window(whole, first, last, job) for first, last in reversed(runs)]
    delta: Counter[str] = Counter()
    for window in done:
        delta.update(window.delta)
    changed = any(window.pieces is not None for window in done)
    ordered = [note for window in reversed(done) for note in window.notes]
    handled = [line for window in done for line in window.handled]
    if changed:
        _remove_unused(whole, delta, used_elsewhere, summary, shown)
    return changed, ordered, handled, delta


# Windows of one file, from this many on, are rewritten in two processes (see in_two_processes).
PARALLEL_FROM = 200


def _child(whole: Pieces, runs: list[tuple[int, int]], job: _Rewrite) -> tuple[list[_Done], list[str]] | str:
    """In the forked process: the windows of the first half, and the modules the index read."""
    try:
        done = [_rewrite_window(whole, first, last, job) for first, last in reversed(runs)]
    except (WindowRefused, cst.ParserSyntaxError) as error:
        return f"{type(error).__name__}: {error}"  # raised again as WindowRefused by the caller
    return done, job.index.names()


def in_two_processes(whole: Pieces, runs: list[tuple[int, int]], job: _Rewrite) -> list[_Done]:
    """_rewrite_window over ``runs``, the first half in a forked process while this one does the
    second half: libcst is pure Python and holds the GIL, and windows share no statement (each
    has its own neighbours), so each half is rewritten as it would be alone. The child's pieces
    are then put in place, from the end as in one process, and the modules it had the index read
    are read here too (in its order), so what follows sees the index one process would leave."""
    half = len(runs) // 2
    outcome, upper = side_by_side(
        lambda: _child(whole, runs[:half], job),
        lambda: [_rewrite_window(whole, first, last, job) for first, last in reversed(runs[half:])],
    )
    if isinstance(outcome, str):
        raise WindowRefused(outcome)
    lower, names = outcome
    for name in names:
        job.index.module(name)
    for window in lower:  # from the end, as the child made them
        if window.pieces is None:
            continue
        old = {piece.key for piece in whole.pieces[window.low : window.high + 1]}
        # Statements the child made carry its own numbering: number them here.
        window.pieces = [
            piece if piece.key in old else replace(piece, key=next_key()) for piece in window.pieces
        ]
        whole.pieces[window.low : window.high + 1] = window.pieces
        if window.tail is not None:
            whole.tail = window.tail
    return upper + lower


def _count(delta: Counter[str], edited: Edited, shown: str) -> None:
    _compiled(edited, shown)
    delta.update(name_uses(edited.tree)[0])  # placeholders add only their own names, unused elsewhere
    delta.subtract(name_uses(edited.old)[0])


class _Uses:
    """How often names are used in the file's statements, found by word and parsed one by one.

    Counted over the statements as the rewrite left them; a helper dropped since is ``gone``."""

    def __init__(self, whole: Pieces) -> None:
        self._pieces = {piece.key: piece for piece in whole.pieces}
        self._where: dict[str, list[int]] = {}  # name -> keys of the pieces that mention it
        self._uses: dict[int, tuple[Counter[str], set[str]]] = {}

    def locate(self, names: set[str]) -> None:
        """Find the statements mentioning ``names``: one pass for all of them."""
        missing = names - self._where.keys()
        if not missing:
            return
        for name in missing:
            self._where[name] = []
        for key, piece in self._pieces.items():
            for word in missing.intersection(_WORD.findall(piece.body)):
                self._where[word].append(key)

    def of(self, key: int) -> tuple[Counter[str], set[str]]:
        if key not in self._uses:
            self._uses[key] = name_uses(self._pieces[key].body)
        return self._uses[key]

    def count(self, name: str, gone: set[int]) -> tuple[int, int]:
        """(uses in every statement, uses in the statements not ``gone``)."""
        self.locate({name})
        every = now = 0
        for key in self._where[name]:
            uses = self.of(key)[0][name]
            every += uses
            now += 0 if key in gone else uses
        return every, now

    def imported(self, name: str) -> bool:
        self.locate({name})
        return any(name in self.of(key)[1] for key in self._where[name])

    def bound_at_top(self, name: str, gone: set[int]) -> bool:
        """Is ``name`` bound by a top-level import line (one still there)?"""
        self.locate({name})
        return any(
            key not in gone and self._pieces[key].imports and name in _top_imports(self._pieces[key].body)
            for key in self._where[name]
        )


def _top_imports(body: str) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(body).body:
        if isinstance(node, ast.Import):
            names.update(alias.asname or alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.update(alias.asname or alias.name for alias in node.names if alias.name != "*")
    return names


def _remove_unused(
    whole: Pieces,
    delta: Counter[str],
    used_elsewhere: Callable[[str], bool],
    summary: ModuleSummary,
    shown: str,
) -> None:
    """cleanup.remove_unused over pieces: helpers, then imports, that only the removed code used."""
    uses = _Uses(whole)
    gone: set[int] = set()
    # A name can only become unused if the rewrite read it less, or a dropped helper read it; and
    # only helpers and imported names are removed.
    suspects = {name for name, change in delta.items() if change < 0}
    removable_kinds = {piece.function for piece in whole.pieces if piece.function} | set(summary.imports)

    def newly_unused(name: str) -> bool:
        every, now = uses.count(name, gone)
        return every - delta[name] > 0 and now <= 0

    for _ in range(MAX_ROUNDS):
        uses.locate(suspects & removable_kinds)
        dropped: list[int] = []
        for position, piece in enumerate(whole.pieces):
            name = piece.function
            if (
                name is None
                or piece.key in gone
                or name not in suspects
                or name.startswith("test")
                or not newly_unused(name)
                or used_elsewhere(name)
            ):
                continue
            dropped.append(position)
            gone.add(piece.key)
            suspects.update(used for used, count in uses.of(piece.key)[0].items() if count > 0)
        if not dropped:
            break
        doomed = set(dropped)
        for first, last in reversed(windows(dropped)):
            if drop_pieces(whole, first, last, doomed):
                continue  # the text alone says what libcst would make of it
            _edit_each(
                whole,
                [position for position in range(first, last + 1) if position in doomed],
                lambda position: False,
                lambda window, doomed=doomed: rebuild_module(  # type: ignore[misc]
                    window.module,
                    {
                        key: unused_helper()
                        for key, position in window.placeholders.items()
                        if position in doomed
                    },
                ),
                shown,
            )
    candidates = suspects & set(summary.imports)
    uses.locate(candidates)
    removable = {name for name in candidates if uses.imported(name) and newly_unused(name)}
    if not removable:
        return
    if not all(uses.bound_at_top(name, gone) for name in removable):
        raise WindowRefused("an import inside a statement became unused")
    lines = [
        position
        for position, piece in enumerate(whole.pieces)
        if piece.imports and removable & _top_imports(piece.body)
    ]
    _edit_each(
        whole,
        lines,
        lambda position: True,
        lambda window: narrow_top_level_imports(window.module, removable),
        shown,
    )


def _edit_each(
    whole: Pieces,
    positions: list[int],
    real: Callable[[int], bool],
    edit: Callable[[Window], cst.Module | None],
    shown: str,
) -> None:
    """Apply a clean-up edit to the statements at ``positions``, window by window, from the end."""
    for first, last in reversed(windows(positions)):
        outcome = edit_window(whole, first, last, real, edit)
        if outcome is not None:
            _compiled(outcome, shown)
