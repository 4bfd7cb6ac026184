"""`releasesafe flags remove NAME --value on|off`: rewrite every file that checks the flag."""

from __future__ import annotations

import ast
import multiprocessing
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from ..source_text import RewriteRefused, SourceText, read_source
from ..text_diff import unified_diff
from .cleanup import name_uses, remove_unused
from .codemod import FlagRemover, Note
from .config import FlagsConfig
from .definitions import FlagDefinition, flag_definitions, remove_definitions, unused_definitions
from .newer_syntax import check_compiles, parse_python
from .per_statement import rewrite_pieces
from .pieces import WindowRefused, split_pieces
from .scan import ScanResult, collect_references, display_path
from .spans import Span, statement_spans
from .standin import Standin, build_standin
from .summary import ModuleSummary, ProjectIndex


@dataclass
class FileChange:
    path: Path
    shown: str
    before: str
    after: str
    notes: list[Note] = field(default_factory=list)
    error: str | None = None
    source: SourceText | None = None  # how the file was read, so it is written back the same way

    @property
    def changed(self) -> bool:
        return self.error is None and self.after != self.before

    def diff(self) -> str:
        return "".join(
            unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=f"a/{self.shown}",
                tofile=f"b/{self.shown}",
            )
        )


@dataclass
class RemovalResult:
    changes: list[FileChange]
    scan: ScanResult
    references: int  # checks of the flag found by the scan
    found_anywhere: bool = True  # a check, constant or registry entry names the flag
    known_flags: frozenset[str] = frozenset()  # every flag the scan saw, for "did you mean"


class _OtherFiles:
    """Does any other file mention a name? (A helper another module imports must stay.)"""

    def __init__(self, files: list[str], only_besides: str | None = None) -> None:
        self._files = files
        # The one file rewritten, when only one is: every question leaves it out, so its words
        # (most of the text on a large file) are not indexed at all.
        self._only_besides = os.path.abspath(only_besides) if only_besides is not None else None
        self._words: dict[bytes, set[str]] | None = None

    def _index(self) -> dict[bytes, set[str]]:
        # Built on first use: one pass over the project instead of one search per helper.
        words: dict[bytes, set[str]] = {}
        for filename in self._files:
            if self._only_besides is not None and os.path.abspath(filename) == self._only_besides:
                continue
            try:
                with open(filename, "rb") as file:
                    data = file.read()
            except OSError:
                continue
            for word in set(re.findall(rb"[A-Za-z_][A-Za-z0-9_]*", data)):
                words.setdefault(word, set()).add(os.path.abspath(filename))
        return words

    def mentions(self, name: str, besides: Path) -> bool:
        assert self._only_besides in (None, os.path.abspath(besides)), "asked about another file"
        if self._words is None:
            self._words = self._index()
        return bool(self._words.get(name.encode(), set()) - {os.path.abspath(besides)})


# Rewrite a window of statements at a time (per_statement.py); False: always the whole module.
# Both give the same text: tests run them side by side.
PER_STATEMENT = True


def rewrite_source(
    source: str,
    shown: str,
    flag: str,
    value: bool,
    summary_for_file: ModuleSummary,
    index: ProjectIndex,
    config: FlagsConfig,
    used_elsewhere: Callable[[str], bool] = lambda name: False,
    touched: Iterable[int] | None = None,
    expected: Iterable[int] = (),
    spans: list[Span] | None = None,
) -> tuple[str, list[Note], list[int]]:
    """The rewritten source, the notes for a human and the lines of the checks dealt with.

    ``touched``: the lines that check or name the flag; other top-level statements are not given
    to libcst at all (None: give it everything). ``spans``: the top-level statements of
    ``source``, when the scan has them. Raises ValueError when the result is unsafe."""
    tree: ast.Module | None = None
    if not spans:
        try:
            tree = parse_python(source)
        except (SyntaxError, ValueError):
            pass  # newer syntax than this Python's: libcst reads it whole
        else:
            spans = statement_spans(tree)
    if spans and touched is not None and PER_STATEMENT:
        whole = split_pieces(source, spans)
        tree = None  # a large file's tree is hundreds of MB: not kept while libcst works
        expected = list(expected)
        try:
            changed, notes, handled, _ = rewrite_pieces(
                whole, shown, flag, value, summary_for_file, index, config, used_elsewhere, touched, expected
            )
        except (WindowRefused, cst.ParserSyntaxError):
            pass  # this file needs its module as a whole
        else:
            return (whole.text if changed else source), notes, handled
    if tree is None:
        try:
            tree = parse_python(source)
        except (SyntaxError, ValueError):
            pass
    return _rewrite_module(
        source, tree, shown, flag, value, summary_for_file, index, config, used_elsewhere, touched, expected
    )


def _rewrite_module(
    source: str,
    tree: ast.Module | None,
    shown: str,
    flag: str,
    value: bool,
    summary_for_file: ModuleSummary,
    index: ProjectIndex,
    config: FlagsConfig,
    used_elsewhere: Callable[[str], bool],
    touched: Iterable[int] | None,
    expected: Iterable[int],
) -> tuple[str, list[Note], list[int]]:
    """rewrite_source on the module as a whole (all of it that the flag touches, see standin.py)."""
    standin: Standin | None = None
    used_before = None
    if tree is not None:
        standin = build_standin(
            source, tree, touched if touched is not None else range(1, source.count("\n") + 2)
        )
        used_before, _ = name_uses(tree)
        del tree  # a large file's tree is hundreds of MB: not kept while libcst works
    try:
        module = cst.parse_module(standin.text if standin else source)
    except cst.ParserSyntaxError as error:
        raise ValueError(f"cannot parse: {error.message} (line {error.raw_line})") from error
    starts = [(segment.start, segment.end) for segment in standin.segments] if standin else None
    remover = FlagRemover(flag, value, module, summary_for_file, index, config, starts)
    rewritten = module.visit(remover)
    if not remover.changed:
        return source, remover.notes, remover.handled_lines(expected)
    expand = standin.expand if standin else (lambda code: code)
    try:
        rewritten, code = remove_unused(source, rewritten, used_elsewhere, expand, used_before)
    except SyntaxError as error:
        raise ValueError(f"the rewritten file would not compile ({error}); left unchanged") from error
    # The rewrite must still be Python: never write a file that would not compile.
    try:
        check_compiles(code, shown)
    except (SyntaxError, ValueError) as error:
        raise ValueError(f"the rewritten file would not compile ({error}); left unchanged") from error
    return code, remover.notes, remover.handled_lines(expected)


@dataclass(frozen=True)
class _Job:
    flag: str
    value: bool
    index: ProjectIndex
    config: FlagsConfig
    others: _OtherFiles
    naming: re.Pattern[str]  # text naming the flag: its quoted key or its constants


# Set by _start in each worker process (and in this one for a serial run).
_job: _Job | None = None
_PARALLEL_FROM = 16  # files; below this a process pool costs more than it saves


def _start(
    flag: str,
    value: bool,
    index: ProjectIndex,
    config: FlagsConfig,
    files: list[str],
    naming: str,
    only: str | None = None,
) -> None:
    """``only``: the path of the one file to rewrite, when there is just one."""
    global _job
    _job = _Job(flag, value, index, config, _OtherFiles(files, only), re.compile(naming))


@dataclass(frozen=True)
class SeenCheck:
    """A check the scan found in a file: the removal must deal with each one or say so."""

    line: int
    call: str
    dynamic: bool  # its key is computed at run time: it may or may not be this flag


def _unhandled(seen: list[SeenCheck], handled: list[int], flag: str) -> list[Note]:
    """Notes for the scan's checks of the flag that the rewrite neither rewrote nor noted."""
    left = Counter(handled)
    notes: list[Note] = []
    for check in seen:
        if check.dynamic:
            notes.append(
                Note(
                    check.line,
                    f"`{check.call}` gets its flag key at run time and this file names '{flag}': "
                    "it may check it. Make the key a constant (or remove the check) by hand.",
                )
            )
        elif left[check.line] > 0:
            left[check.line] -= 1
        else:
            notes.append(
                Note(
                    check.line,
                    f"`{check.call}` checks '{flag}' in a form the removal does not rewrite; "
                    "remove it by hand.",
                )
            )
    return notes


def _rewrite_file(path: Path, shown: str, summary: ModuleSummary, seen: list[SeenCheck]) -> FileChange:
    job = _job
    assert job is not None, "_start runs first"
    try:
        read = read_source(path)
    except RewriteRefused as error:
        return FileChange(path, shown, "", "", error=str(error))
    source = read.text
    change = FileChange(path, shown, source, source, source=read)
    try:
        change.after, change.notes, handled = rewrite_source(
            source,
            shown,
            job.flag,
            job.value,
            summary,
            job.index,
            job.config,
            lambda name: job.others.mentions(name, path),
            {check.line for check in seen}
            | {number for number, line in enumerate(source.splitlines(), 1) if job.naming.search(line)},
            [check.line for check in seen if not check.dynamic],
            summary.statements if summary.digest == read.digest else None,
        )
    except ValueError as error:
        change.error = str(error)
        return change
    change.notes = sorted([*change.notes, *_unhandled(seen, handled, job.flag)], key=lambda note: note.line)
    return change


def remove_flag(paths: list[Path], flag: str, value: bool, config: FlagsConfig) -> RemovalResult:
    scan = ScanResult()
    index = collect_references(paths, config, scan)
    referencing = {reference.path for reference in scan.references if reference.flag == flag}
    references = sum(1 for reference in scan.references if reference.flag == flag)
    # Registry definitions mention the key without checking it; they are cleaned up too.
    quoted = re.compile(rb"""['"]""" + re.escape(flag.encode()) + rb"""['"]""")
    if config.registries:
        for shown, (path, _) in scan.parsed.items():
            if shown not in referencing and quoted.search(path.read_bytes()):
                referencing.add(shown)
    naming = _naming(index, flag, quoted)
    seen = _seen_checks(scan, flag, naming)
    referencing.update(seen)
    jobs = [
        (scan.parsed[shown][0], shown, scan.parsed[shown][1], seen.get(shown, []))
        for shown in sorted(referencing)
    ]
    only = str(jobs[0][0]) if len(jobs) == 1 else None
    arguments = (flag, value, index, config, scan.files, naming.pattern.decode(), only)
    workers = min(os.cpu_count() or 1, 4)
    if len(jobs) >= _PARALLEL_FROM and workers > 1:
        # libcst is pure Python on this path: separate processes are the way to use more cores.
        context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=arguments) as pool:
            changes = list(
                pool.map(
                    _rewrite_file, *zip(*jobs, strict=True), chunksize=max(1, len(jobs) // (workers * 4))
                )
            )
    else:
        _start(*arguments)
        changes = [_rewrite_file(*job) for job in jobs]
    _remove_unused_definitions(changes, scan, index, flag)
    known = frozenset(reference.flag for reference in scan.references if reference.flag is not None)
    found = bool(references or referencing or flag_definitions(index, flag))
    return RemovalResult(changes, scan, references, found, known)


def _naming(index: ProjectIndex, flag: str, quoted: re.Pattern[bytes]) -> re.Pattern[bytes]:
    """Text that names the flag: its quoted key or a constant/member defined as it."""
    names = sorted({definition.name for definition in flag_definitions(index, flag)})
    if not names:
        return quoted
    words = rb"\b(?:" + b"|".join(re.escape(name.encode()) for name in names) + rb")\b"
    return re.compile(quoted.pattern + b"|" + words)


def _seen_checks(scan: ScanResult, flag: str, naming: re.Pattern[bytes]) -> dict[str, list[SeenCheck]]:
    """Per file: the scan's checks of the flag, and its run-time-keyed checks in files that name it."""
    seen: dict[str, list[SeenCheck]] = {}
    names_flag: dict[str, bool] = {}
    for reference in scan.references:
        if reference.flag == flag:
            seen.setdefault(reference.path, []).append(SeenCheck(reference.line, reference.check.call, False))
        elif reference.flag is None and reference.path in scan.parsed:
            if reference.path not in names_flag:
                path = scan.parsed[reference.path][0]
                try:
                    names_flag[reference.path] = bool(naming.search(path.read_bytes()))
                except OSError:
                    names_flag[reference.path] = False
            if names_flag[reference.path]:
                seen.setdefault(reference.path, []).append(
                    SeenCheck(reference.line, reference.check.call, True)
                )
    return seen


def _remove_unused_definitions(
    changes: list[FileChange], scan: ScanResult, index: ProjectIndex, flag: str
) -> None:
    """Drop constants and Enum members naming the flag that nothing mentions any more."""
    project = {Path(os.path.abspath(filename)): Path(filename) for filename in scan.files}
    definitions = [
        definition
        for definition in flag_definitions(index, flag)
        if Path(os.path.abspath(definition.path)) in project
    ]
    if not definitions:
        return
    by_path = {Path(os.path.abspath(change.path)): change for change in changes}
    texts: dict[Path, str] = {}
    sources: dict[Path, SourceText] = {}
    for absolute, path in project.items():
        change = by_path.get(absolute)
        if change is not None and change.error is None:
            texts[absolute] = change.after
            continue
        try:
            sources[absolute] = read_source(path)
        except RewriteRefused:
            texts[absolute] = ""
        else:
            texts[absolute] = sources[absolute].text
    unused: dict[Path, list[FlagDefinition]] = {}
    for definition in unused_definitions(definitions, texts):
        unused.setdefault(Path(os.path.abspath(definition.path)), []).append(definition)
    for absolute, found in unused.items():
        change = by_path.get(absolute)
        if change is not None and change.error is not None:
            continue
        if change is None:
            path = project[absolute]
            change = FileChange(
                path, display_path(path), texts[absolute], texts[absolute], source=sources.get(absolute)
            )
            changes.append(change)
        after = remove_definitions(change.after, found, flag)
        try:
            check_compiles(after, change.shown)
        except (SyntaxError, ValueError) as error:
            change.error = f"removing the flag's constants would not compile ({error}); left unchanged"
            continue
        change.after = after
