"""`releasesafe flags scan`: files -> prefilter -> parse -> references -> findings."""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import multiprocessing
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import Finding
from .chunks import Chunks, NotInChunks, OffPlan
from .config import FlagsConfig, project_root
from .files import Prefilter, prefilter, python_files
from .forking import can_split, side_by_side
from .inventory import InventoryError, InventoryFlag, load_inventory
from .newer_syntax import parse_python
from .references import FactsCollector, FileFacts, FlagReference, Handover, callable_names, find_references
from .spans import Span, statement_spans
from .staleness import finding, inventory_findings, reference_findings
from .summary import ModuleSummary, ProjectIndex, module_name_for, summarize


@dataclass
class ScanResult:
    references: list[FlagReference] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files_seen: int = 0
    files_parsed: int = 0
    files: list[str] = field(default_factory=list)  # every Python file considered
    parsed: dict[str, tuple[Path, ModuleSummary]] = field(default_factory=dict)  # shown path -> file


def display_path(path: Path | str) -> str:
    """Paths relative to the working directory when below it, as users typed them otherwise."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute.startswith(cwd + os.sep):
        return absolute[len(cwd) + 1 :]
    return str(path)


# Set in this process and inherited by forked workers: what _examine needs besides a file name.
_context: dict[str, object] = {}
_PARALLEL_FROM = 2000  # files; below this, starting workers costs more than it saves


def _examine(filename: str) -> FileFacts | Finding | None:
    """Read, prefilter, parse and summarise one file: a finding if it cannot be read or parsed,
    None if it cannot contain a flag check."""
    config = _context["config"]
    pattern = _context["prefilter"]
    assert isinstance(config, FlagsConfig) and isinstance(pattern, Prefilter)
    try:
        with open(filename, "rb") as file:
            data = file.read()
    except OSError as error:
        return finding("flag-parse-error", display_path(filename), 1, 1, f"Cannot read: {error}", "", None)
    if not pattern.wants(data):
        return None
    shown = display_path(filename)
    path = Path(filename)
    name, root = module_name_for(path)
    try:
        try:
            chunks = Chunks(data)
            summary, collector, spans = _summarize_chunks(chunks, name, path, config)
            for chunk, names in collector.refetch(summary).items():
                tree = chunks.again(chunk)
                nodes: list[ast.AST] = []
                summarize(tree, name, path.name == "__init__.py", nodes)
                collector.add(chunk, tree, nodes, summary, names)
        except NotInChunks:
            summary, collector, spans = _summarize([parse_python(data, filename=shown)], name, path, config)
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None) or 1
        message = f"Cannot parse: {getattr(error, 'msg', error)}; flag checks in this file are not known."
        return finding("flag-parse-error", shown, line, 1, message, "Fix the syntax error.", None)
    summary.path = path
    summary.statements = spans
    summary.digest = hashlib.sha256(data).hexdigest()
    return collector.facts(filename, shown, str(root), summary)


class _Gathering:
    """One file's summary, candidate checks and top-level statements, taken a chunk at a time;
    each chunk's tree is let go before the next is parsed."""

    def __init__(self, name: str, is_package: bool, config: FlagsConfig) -> None:
        self.summary = ModuleSummary(name=name, is_package=is_package)
        self.collector = FactsCollector(config)
        self.spans: list[Span] = []
        self.imports: list[tuple[int, str, str]] = []
        self.chunks = 0

    def read(self, tree: ast.Module) -> tuple[ModuleSummary, list[ast.AST], list[tuple[int, str, str]]]:
        nodes: list[ast.AST] = []
        bindings: list[tuple[int, str, str]] = []
        part = summarize(tree, self.summary.name, self.summary.is_package, nodes, bindings)
        return part, nodes, bindings

    def merge(self, part: ModuleSummary, bindings: list[tuple[int, str, str]], spans: list[Span]) -> None:
        summary = self.summary
        self.imports.extend(bindings)
        summary.imports.update(part.imports)
        summary.definitions |= part.definitions
        summary.constants.update(part.constants)
        summary.classes.update(part.classes)
        summary.parameters.update(part.parameters)
        self.spans.extend(spans)

    def take(self, tree: ast.Module) -> None:
        part, nodes, bindings = self.read(tree)
        self.merge(part, bindings, statement_spans(tree))
        self.collector.add(self.chunks, tree, nodes, self.summary, None)
        self.chunks += 1

    def result(self) -> tuple[ModuleSummary, FactsCollector, list[Span]]:
        # The binding a walk over the whole module meets last wins: deeper ones, then later ones.
        self.summary.imports = {}
        for _, local, target in sorted(self.imports, key=lambda binding: binding[0]):
            self.summary.imports[local] = target
        return self.summary, self.collector, self.spans


def _summarize(
    trees: Iterable[ast.Module], name: str, path: Path, config: FlagsConfig
) -> tuple[ModuleSummary, FactsCollector, list[Span]]:
    gathering = _Gathering(name, path.name == "__init__.py", config)
    for tree in trees:
        gathering.take(tree)
        del tree  # not kept while the next chunk is parsed
    return gathering.result()


_SPLIT_FROM = 4  # chunks (20,000 lines): a large file is read in two processes from this size on
_IMPORT_LINE = re.compile(r"\s*(?:from\s+\S+\s+)?import\b(.*)")
_TOP_NAME = re.compile(r"(?:async\s+def|def|class)\s+(\w+)|(\w+)\s*(?::|=(?!=))")
_WORD = re.compile(r"[A-Za-z_]\w*")


def _summarize_chunks(
    chunks: Chunks, name: str, path: Path, config: FlagsConfig
) -> tuple[ModuleSummary, FactsCollector, list[Span]]:
    """_summarize over a file's chunks; a large file's second half in a forked process, when
    the chunks are where Chunks.planned puts them (else in this one, with the same result)."""
    planned = chunks.planned()
    if len(planned) >= _SPLIT_FROM and can_split():
        split = _summarize_in_two(chunks, planned, name, path, config)
        if split is not None:
            return split
        chunks.ranges.clear()
    return _summarize(chunks, name, path, config)


def _guess_callable(lines: list[str]) -> tuple[set[str], set[str]]:
    """(imported, defined) names of ``lines``, read from the text without parsing it: every word
    of an import line, and the names a top-level def, class or assignment starts with. A guess
    for the process that reads the chunks after ``lines``: a word too many only makes it keep a
    call that is then dropped, a name missed only makes the call looked up again."""
    imported: set[str] = set()
    defined: set[str] = set()
    for line in lines:
        if "import" in line:
            found = _IMPORT_LINE.match(line)
            if found:
                imported.update(_WORD.findall(found.group(1)))
        top = _TOP_NAME.match(line)
        if top:
            defined.add(top.group(1) or top.group(2))
    return imported, defined


_Later = tuple[
    list[tuple[ModuleSummary, list[tuple[int, str, str]], list[Span]]], Handover, list[tuple[int, int]]
]


def _later_chunks(
    chunks: Chunks, start: int, first_chunk: int, gathering: _Gathering, guess: tuple[set[str], set[str]]
) -> _Later | None:
    """In the forked process: the chunks from line index ``start``, each as it would be read
    after the chunks before (None if one is not where planned)."""
    # Which calls to keep depends on the names the module binds before them: guessed.
    summary = gathering.summary
    summary.imports.update(dict.fromkeys(guess[0], ""))
    summary.definitions |= guess[1]
    parts = []
    try:
        for chunk, tree in enumerate(chunks.parsed(start, strict=True), first_chunk):
            part, nodes, bindings = gathering.read(tree)
            parts.append((part, bindings, statement_spans(tree)))
            summary.imports.update(part.imports)
            summary.definitions |= part.definitions
            gathering.collector.add(chunk, tree, nodes, summary, None)
    except OffPlan:
        return None
    return parts, gathering.collector.handover(), chunks.ranges


def _summarize_in_two(
    chunks: Chunks, planned: list[int], name: str, path: Path, config: FlagsConfig
) -> tuple[ModuleSummary, FactsCollector, list[Span]] | None:
    """The first half of the chunks here, the second in a forked process, put together as one
    process reading them all would have (None: start again in one process)."""
    half = len(planned) // 2
    start = planned[half]
    gathering = _Gathering(name, path.name == "__init__.py", config)

    def here() -> bool:
        try:
            for tree in chunks.parsed(0, stop=start):
                gathering.take(tree)
                del tree
        except OffPlan:
            return False
        return True

    guess = _guess_callable(chunks.lines(0, start))
    later, on_plan = side_by_side(
        lambda: _later_chunks(
            chunks, start, half, _Gathering(name, path.name == "__init__.py", config), guess
        ),
        here,
    )
    if not on_plan:
        return None
    if later is None or gathering.chunks != half:
        for tree in chunks.parsed(start):  # the rest here, as one process goes on from there
            gathering.take(tree)
        return gathering.result()
    parts, handover, ranges = later
    for part, bindings, spans in parts:
        gathering.merge(part, bindings, spans)
    chunks.ranges.extend(ranges)
    summary, collector, spans = gathering.result()
    collector.adopt(handover, callable_names(summary, config))
    return summary, collector, spans


def collect_references(paths: Sequence[Path], config: FlagsConfig, result: ScanResult) -> ProjectIndex:
    index = ProjectIndex()
    # Absolute imports (`from main import features`) resolve from the project, wherever the config
    # file given with --config lives: the project root first, then each folder scanned, then the
    # config file's folder.
    index.add_root(project_root(list(paths)))
    for path in paths:
        index.add_root(path if path.is_dir() else path.parent)
    if config.source is not None:
        index.add_root(config.source.parent)
    _context.update(config=config, prefilter=prefilter(config))
    result.files = list(python_files(paths, config.excludes))
    result.files_seen = len(result.files)
    workers = min(os.cpu_count() or 1, 4)
    if len(result.files) >= _PARALLEL_FROM and workers > 1 and sys.platform != "win32":
        # Parsing is CPU-bound and the GIL is held: separate (forked) processes use the other cores.
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            chunk = max(1, len(result.files) // (workers * 8))
            outcomes = pool.map(_examine, result.files, chunksize=chunk)
    else:
        outcomes = [_examine(filename) for filename in result.files]
    parsed: list[FileFacts] = []
    for outcome in outcomes:
        if isinstance(outcome, Finding):
            result.findings.append(outcome)
        elif outcome is not None:
            result.files_parsed += 1
            index.add_root(Path(outcome.root))
            index.add(outcome.summary)
            parsed.append(outcome)
            result.parsed[outcome.shown] = (Path(outcome.path), outcome.summary)
    # Second pass: every module is indexed now, so keys defined in other modules resolve.
    for facts in parsed:
        result.references.extend(find_references(facts, index, config))
    return index


def load_inventories(paths: Sequence[Path], result: ScanResult) -> dict[str, InventoryFlag] | None:
    if not paths:
        return None
    flags: dict[str, InventoryFlag] = {}
    for path in paths:
        shown = display_path(path)
        try:
            inventory = load_inventory(path)
        except InventoryError as error:
            result.findings.append(
                finding("flag-inventory-invalid", shown, error.line, 1, error.message, "", None)
            )
            continue
        for problem in inventory.problems:
            result.findings.append(
                finding("flag-inventory-invalid", shown, problem.line, 1, problem.message, "", None)
            )
        for name, flag in inventory.flags.items():
            flags.setdefault(name, InventoryFlag(**{**flag.__dict__, "path": shown}))
    return flags


def scan(
    paths: Sequence[Path],
    config: FlagsConfig,
    inventory_paths: Sequence[Path],
    today: dt.date,
    *,
    references_only: bool = False,
) -> ScanResult:
    """Findings for ``paths``. ``references_only`` (the pre-commit mode) reports only lines in code."""
    result = ScanResult()
    collect_references(paths, config, result)
    inventory = load_inventories(inventory_paths, result)
    result.findings.extend(
        reference_findings(result.references, inventory, config, today, stale_references=references_only)
    )
    if inventory is not None and not references_only:
        # "Unused" needs the whole project: a scan of a few named files cannot tell.
        whole_tree = all(path.is_dir() for path in paths)
        result.findings.extend(
            inventory_findings(inventory, result.references, config, today, report_unused=whole_tree)
        )
    result.findings.sort(key=lambda item: (item.path, item.line, item.column, item.rule))
    return result
