"""The removal one window of top-level statements at a time (see pieces.py), same result as whole.

The rewrite itself runs FlagRemover on each window of statements that check or name the flag.
The clean-up that follows (helpers and imports only the removed code used) needs to know how
often each name is used in the whole file: that is counted from the windows that changed (before
and after) plus, for the few names whose use went down, the other statements that mention them,
each parsed on its own with the standard-library parser. Whatever needs the module as a whole
(adding an import for ``Http404``, an import inside a function becoming unused, a rewrite that
reaches past its window) raises WindowRefused: the caller then rewrites the whole module.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable

import libcst as cst

from .blocks import rebuild_module
from .cleanup import MAX_ROUNDS, name_uses, narrow_top_level_imports, unused_helper
from .codemod import HTTP404, FlagRemover, Note
from .config import FlagsConfig
from .newer_syntax import check_compiles
from .pieces import Edited, Pieces, Window, WindowRefused, drop_pieces, edit_window, windows
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
    expected = sorted(expected)
    notes: list[list[Note]] = []
    handled: list[int] = []
    delta: Counter[str] = Counter()
    changed = False
    for first, last in reversed(windows(positions)):  # from the end: earlier positions stay valid
        removers: list[FlagRemover] = []

        def edit(window: Window, removers: list[FlagRemover] = removers) -> cst.Module | None:
            remover = FlagRemover(
                flag, value, window.module, summary, index, config, window.segments, window.sources
            )
            removers.append(remover)
            rewritten = window.module.visit(remover)
            if not remover.changed:
                return None
            if remover.needs_http404 and HTTP404 not in summary.imports:
                raise WindowRefused("the rewrite adds an import")
            return rewritten

        low, high = whole.pieces[first].start, whole.pieces[last].end
        inside = expected[bisect.bisect_left(expected, low) : bisect.bisect_right(expected, high)]
        outcome = edit_window(whole, first, last, lambda position: True, edit)
        notes.append(removers[0].notes)
        handled.extend(removers[0].handled_lines(inside))
        if outcome is not None:
            changed = True
            _count(delta, outcome, shown)
    ordered = [note for window_notes in reversed(notes) for note in window_notes]
    if changed:
        _remove_unused(whole, delta, used_elsewhere, summary, shown)
    return changed, ordered, handled, delta


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
