"""Lint a set of paths: discover migrations, run the front ends and checks, apply suppressions.

Front ends, sqlglot and the catalogue are imported only when a file is not in the content-hash
cache, so a warm run (and a pre-commit run on a few files) pays for what it lints and no more.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pytest_releasesafe.blake2 import blake2b
from pytest_releasesafe.config import Config
from pytest_releasesafe.findings import SEVERITY_RANK, Finding
from pytest_releasesafe.lint_cache import Cache
from pytest_releasesafe.source_index import SourceIndex

if TYPE_CHECKING:
    from pytest_releasesafe.catalogue import Rule
    from pytest_releasesafe.checks.base import CheckContext, Hit
    from pytest_releasesafe.model import Migration
    from pytest_releasesafe.schema.state import Schema

T = TypeVar("T")
R = TypeVar("R")

SKIP_DIRS = {
    ".git",
    ".hg",
    ".venv",
    "venv",
    "env",
    "node_modules",
    "__pycache__",
    ".tox",
    ".nox",
    "build",
    "dist",
    "site-packages",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".releasesafe_cache",
}
LINTED_SUFFIXES = (".sql", ".py")
MAX_BYTES = 50 * 1024 * 1024  # larger files are reported, not read
INTERNAL_ERROR = "RS005"  # the linter failed on a file: always reported, never cached, exit code 2

_REVISION = re.compile(r"^revision\s*(?::\s*\w+\s*)?=\s*[uUrR]?['\"]([^'\"]+)['\"]", re.M)
# A tuple of down revisions (a merge) may span several lines.
_DOWN_REVISION = re.compile(r"^down_revision\s*(?::[^=\n]+)?=\s*(\([^)]*\)|\[[^\]]*\]|.+)$", re.M)
_QUOTED = re.compile(r"['\"]([^'\"]+)['\"]")


class LintError(Exception):
    """A problem with the run itself (bad path, bad git ref): exit code 2."""


class SourceFile:
    """A file to lint: its bytes, its text (None when it cannot be read as text) and why not.

    A file the cache's source index knows unchanged (`SourceFile.unread`) is read only when its
    bytes or text are asked for: a warm run orders and fingerprints a history by digests alone."""

    def __init__(
        self,
        path: Path,
        display: str,
        data: bytes,
        text: str | None = None,
        problem: str | None = None,  # why it cannot be read as text
        problem_line: int = 1,
    ) -> None:
        self.path = path
        self.display = display
        self._data: bytes | None = data
        self._text = text
        self.problem = problem
        self.problem_line = problem_line
        self._digest: str | None = None

    @classmethod
    def unread(cls, path: Path, display: str, digest: str) -> SourceFile:
        """A readable text file whose content has `digest`, read on first use."""
        source = cls(path, display, b"")
        source._data = None
        source._digest = digest
        return source

    def _read(self) -> bytes:
        fresh = read_source(self.path)
        self._text, self.problem, self.problem_line = fresh.text, fresh.problem, fresh.problem_line
        self._data = fresh.data
        return fresh.data

    @property
    def data(self) -> bytes:
        return self._read() if self._data is None else self._data

    @property
    def text(self) -> str | None:
        if self._data is None:
            self._read()
        return self._text

    @property
    def is_text(self) -> bool:
        """Whether the file reads as text (known without reading it for an unread one)."""
        return self._data is None or self._text is not None

    @property
    def digest(self) -> str:
        """The content's digest: the part of every cache key that names what the file holds."""
        if self._digest is None:
            self._digest = blake2b(self.data, digest_size=16).hexdigest()
        return self._digest

    def __repr__(self) -> str:
        return f"SourceFile({self.display!r})"


@dataclass
class RevisionInfo:
    """Just enough of an Alembic revision for history rules, kept in the cache."""

    path: str
    revision: str | None
    down_revision: tuple[str, ...]
    line: int = 1


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0
    files_cached: int = 0
    revisions: list[RevisionInfo] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # for people, on stderr: e.g. files skipped and why

    def failed(self, fail_on: str) -> bool:
        threshold = SEVERITY_RANK[fail_on]
        return any(SEVERITY_RANK[f.severity] >= threshold for f in self.findings)

    @property
    def broke(self) -> bool:
        """The linter failed on some file (exit 2, whatever --exit-zero says)."""
        return any(f.rule == INTERNAL_ERROR for f in self.findings)


# --- discovery -----------------------------------------------------------------------------------


def discover(
    paths: Iterable[str], config: Config, notes: list[str] | None = None, unsaved: Iterable[Path] = ()
) -> Iterator[Path]:
    """The files `paths` name, folders walked; `unsaved`: files that exist only in an editor."""
    seen: set[str] = set()
    in_editor = {os.path.abspath(p) for p in unsaved}
    for raw in paths:
        path = Path(raw)
        if not path.exists() and os.path.abspath(path) not in in_editor:
            raise LintError(f"{raw}: no such file or directory")
        if path.is_file() and not path.name.endswith(LINTED_SUFFIXES):
            # Named explicitly (a pre-commit hook passes every staged file): README.md is not SQL.
            if notes is not None:
                notes.append(f"{raw}: skipped, not a migration (lint reads .sql and .py files)")
            continue
        if not path.is_dir():
            candidates: Iterable[Path] = [path]
        else:
            candidates = _walk(path)
        for candidate in candidates:
            resolved = os.path.abspath(candidate)  # realpath costs a syscall per path component
            if resolved in seen or _excluded(candidate, config):
                continue
            seen.add(resolved)
            yield candidate


def _skipped_dir(name: str) -> bool:
    return name in SKIP_DIRS or name.startswith(".")


def _walk(root: Path) -> Iterator[Path]:
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not _skipped_dir(d))
        for name in sorted(filenames):
            if name.endswith(LINTED_SUFFIXES):
                yield Path(directory) / name


def history_context(
    paths: Iterable[str], sources: list[SourceFile], infos: dict[int, RevisionInfo | None], config: Config
) -> list[Path]:
    """The files of the linted files' histories that `paths` did not name (a pre-commit run, an
    editor, `lint one_revision.py`), found as a folder lint finds them: the revision files of an
    Alembic revision's folder, the files each SQL layout puts in a .sql file's history. They are
    read for what they do to the schema and never judged. A history inside a folder that was
    walked is complete already and not listed again."""
    from pytest_releasesafe.schema import order

    walked = [os.path.join(os.path.abspath(p), "") for p in paths if os.path.isdir(p)]

    def complete(folder: str) -> bool:
        return any(os.path.join(os.path.abspath(folder), "").startswith(w) for w in walked)

    plans: dict[str, list[str]] = {}
    alembic_folders: set[str] = set()
    sql_roots: set[str] = set()
    for source in sources:
        if infos[id(source)] is not None:
            alembic_folders.add(os.path.dirname(source.display) or ".")
        elif source.path.suffix == ".sql":
            sql_roots.add(order.place_sql(source.display, plans).history)
    candidates: list[str] = []
    for folder in sorted(f for f in alembic_folders if not complete(f)):
        candidates.extend(order.revision_candidates(folder))
    for root in sorted(r for r in sql_roots if not complete(r)):
        candidates.extend(
            path
            for path in order.sql_candidates(root, _skipped_dir)
            if order.place_sql(path, plans).history == root
        )
    # The candidates are joined to display paths, so they compare as displays (no syscall each).
    seen = {s.display for s in sources}
    context: list[Path] = []
    for candidate in candidates:
        if candidate not in seen and not (config.exclude and _excluded(Path(candidate), config)):
            seen.add(candidate)
            context.append(Path(candidate))
    return context


def _excluded(path: Path, config: Config) -> bool:
    text = path.as_posix()
    return any(
        fnmatch.fnmatch(text, pattern) or fnmatch.fnmatch(path.name, pattern) for pattern in config.exclude
    )


def changed_files(base: str, root: Path, diff_filter: str = "ACMR") -> set[Path]:
    """Files added or changed since `base` (committed, staged, unstaged or untracked);
    `diff_filter="A"`: only the files added since then."""

    import subprocess

    def git(*args: str, cwd: Path = root) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
        except FileNotFoundError as error:
            raise LintError("--diff needs git on PATH") from error

    def output(*args: str, cwd: Path = root) -> str:
        done = git(*args, cwd=cwd)
        if done.returncode != 0:
            raise LintError(f"--diff {base}: git {args[0]} failed: {done.stderr.strip() or 'no message'}")
        return done.stdout

    top = Path(output("rev-parse", "--show-toplevel").strip())
    if git("rev-parse", "--verify", "--quiet", f"{base}^{{commit}}", cwd=top).returncode != 0:
        raise LintError(f"--diff {base}: no branch, tag or commit named {base!r} in the git repository {top}")
    # Both listings run at the top level: `ls-files` prints paths relative to its working
    # directory (and only below it), while the paths are joined to `top` here.
    names = output("diff", "--name-only", f"--diff-filter={diff_filter}", base, "--", cwd=top).splitlines()
    names += output("ls-files", "--others", "--exclude-standard", cwd=top).splitlines()
    return {(top / name).resolve() for name in names if name}


_CWD = os.getcwd()


def _display(path: Path) -> str:
    # abspath would call getcwd() once per file: a pre-commit run reads a thousand history files.
    absolute = os.path.normpath(os.path.join(_CWD, path))
    if absolute.startswith(_CWD + os.sep):
        return absolute[len(_CWD) + 1 :].replace(os.sep, "/")
    return path.as_posix()


def read_source(path: Path) -> SourceFile:
    display = _display(path)
    try:
        with open(path, "rb") as handle:  # one open and fstat, not a stat of the path and then an open
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_BYTES:
                return SourceFile(
                    path,
                    display,
                    b"",
                    problem=f"file is {size // (1024 * 1024)} MB, larger than the {MAX_BYTES // (1024 * 1024)} MB limit",
                )
            data = handle.read()
    except OSError as error:
        return SourceFile(path, display, b"", problem=f"cannot read file: {error.strerror or error}")
    if b"\x00" in data[:8192]:
        return SourceFile(path, display, data, problem="binary file (contains NUL bytes), not a migration")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return SourceFile(
            path,
            display,
            data,
            problem=f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})",
            problem_line=line,
        )
    return SourceFile(path, display, data, text=text)


def _looks_like_revision(data: bytes) -> bool:
    """For a .py file we could not decode: report it only if it is a revision by the usual test
    (latin-1 maps every byte, so the ASCII markers are found wherever they are)."""
    from pytest_releasesafe.frontends.detect import is_revision_file

    return is_revision_file(data.decode("latin-1"))


def _unreadable_revision(text: str) -> bool:
    from pytest_releasesafe.frontends.detect import is_unreadable_revision

    return is_unreadable_revision(text)


def revision_info(source: SourceFile) -> RevisionInfo | None:
    if source.text is None or not source.path.name.endswith(".py"):
        return None
    from pytest_releasesafe.frontends.detect import is_revision_file

    if not is_revision_file(source.text):
        return None
    match = _REVISION.search(source.text)
    down = _DOWN_REVISION.search(source.text)
    downs = tuple(_QUOTED.findall(down.group(1))) if down else ()
    line = source.text.count("\n", 0, match.start()) + 1 if match else 1
    return RevisionInfo(source.display, match.group(1) if match else None, downs, line)


# --- linting -------------------------------------------------------------------------------------


def lint(
    paths: Iterable[str],
    config: Config,
    *,
    diff_base: str | None = None,
    buffers: dict[Path, str] | None = None,
) -> LintResult:
    """Lint `paths`. `buffers`: text to use instead of a file's content on disk (an editor's unsaved
    buffer; a path not on disk yet is added). Files of a history that `paths` leave out are still
    replayed into the schema catalogue before the ones they name (unless `whole_history` is off)."""
    only: set[Path] | None = changed_files(diff_base, config.root) if diff_base else None
    result = LintResult()
    paths = list(paths)
    cache = Cache(config)
    # An editor's buffers are not on disk: with them, every file is read.
    read = read_with_revision if buffers or not cache.enabled else SourceIndex(cache.sources, cache.salt).read
    sources: list[SourceFile] = []
    infos: dict[int, RevisionInfo | None] = {}
    for path in discover(paths, config, result.notes, buffers or ()):
        source, info = read(path)
        sources.append(source)
        infos[id(source)] = info
    if buffers:
        sources = _with_buffers(sources, buffers)
        infos = {id(s): revision_info(s) for s in sources}
    context = history_context(paths, sources, infos, config) if config.whole_history else []
    unnamed: set[int] = set()  # ids of the context files: replayed, never judged
    if context:
        named = {source.path.resolve() for source in sources}
        only = named if only is None else only & named
        for path in context:
            source, info = read(path)
            sources.append(source)
            infos[id(source)] = info
            unnamed.add(id(source))
    result.revisions = [info for info in infos.values() if info is not None]
    skipped = _revisions_before(config.start_after, result.revisions) if config.start_after else set()
    # Migrations added since the --diff base are not released yet: what they create is empty and
    # used by no running code, so later unreleased migrations may lock or rewrite it freely.
    added = changed_files(diff_base, config.root, diff_filter="A") if diff_base else set()
    from pytest_releasesafe.schema.runner import History

    history = History(sources, infos, config, cache, added)
    linted: list[SourceFile] = []
    for source in sources:
        if id(source) in unnamed or (only is not None and source.path.resolve() not in only):
            continue
        info = infos[id(source)]
        if info is not None and info.revision in skipped:
            continue  # still replayed into the catalogue: it is part of the history
        if source.path.suffix == ".py" and info is None:
            if source.text is not None and _unreadable_revision(source.text):
                pass  # `def upgrade(` that does not parse: reported, never skipped
            elif source.text is not None or not _looks_like_revision(source.data):
                continue  # not an Alembic revision: application code is none of our business
        linted.append(source)
    result.files_checked = len(linted)
    todo: list[tuple[SourceFile, str]] = []
    for source in linted:
        key = history.findings_key(source) if cache.enabled else ""
        cached = cache.get(key) if cache.enabled else None
        if cached is not None:
            result.files_cached += 1
            result.findings.extend(Finding(**{**f, "extra": ()}) for f in cached)
            continue
        todo.append((source, key))
    linter: FileLinter | None = None
    if todo:
        linter = FileLinter(config)
        for (_, key), findings in zip(todo, history.lint(linter, [s for s, _ in todo]), strict=True):
            if not any(f.rule == INTERNAL_ERROR for f in findings):  # a failure may not recur: retry it
                cache.put(key, [_cacheable(f) for f in findings])
            result.findings.extend(findings)
    if result.revisions:
        linter = linter or FileLinter(config, project_only=True)
        result.findings.extend(linter.lint_project(result.revisions, only))
    cache.save()
    result.findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule))
    return result


def read_with_revision(path: Path) -> tuple[SourceFile, RevisionInfo | None]:
    """A file as read from disk, and its Alembic revision header (None for any other file)."""
    source = read_source(path)
    return source, revision_info(source)


def _with_buffers(sources: list[SourceFile], buffers: dict[Path, str]) -> list[SourceFile]:
    texts = {path.resolve(): text for path, text in buffers.items()}
    replaced: list[SourceFile] = []
    for source in sources:
        text = texts.pop(source.path.resolve(), None)
        replaced.append(
            source if text is None else SourceFile(source.path, source.display, text.encode(), text=text)
        )
    for path, text in texts.items():  # not saved yet: not found on disk
        replaced.append(SourceFile(path, _display(path), text.encode(), text=text))
    return replaced


PARALLEL_MIN_BYTES = 64 * 1024  # below this, forking costs more than it saves


def _jobs() -> int:
    wanted = os.environ.get("RELEASESAFE_JOBS")
    if wanted and wanted.isdigit():
        return max(1, int(wanted))
    return min(os.cpu_count() or 1, 8)


def parallel_map(
    work: Callable[[T], R], items: list[T], sizes: list[int], died: Callable[[T, int], R]
) -> list[R]:
    """`[work(item) for item in items]`, on every core when there is enough work: sqlglot parsing
    is CPU-bound.

    Workers are forked after the parsers are imported, so they start warm (and see everything the
    parent built, e.g. the schema catalogue). Each writes every item's result to its own temporary
    file as soon as that item is done, so a worker killed midway (out of memory, a signal) loses
    nothing it finished; the items it did not finish are done again in a fresh worker, and the one
    it died on gets `died(item, status)` (an RS005 finding), never a retry loop or a dead parent.
    `work` must contain its own exceptions.
    """
    jobs = _jobs()
    total = sum(sizes)
    if jobs < 2 or not hasattr(os, "fork") or total < PARALLEL_MIN_BYTES or len(items) < 2 * jobs:
        return [work(item) for item in items]
    shares = _shares(sizes, jobs)
    import gc

    # What exists now (the parsed history, its catalogue snapshots) outlives the workers: frozen, the
    # collector never walks it again in them (a walk writes to every object, so its pages would be
    # copied) nor here until they are done.
    gc.freeze()
    try:
        return _run_shares(work, items, shares, died)
    finally:
        gc.unfreeze()


def _run_shares(
    work: Callable[[T], R], items: list[T], shares: list[list[int]], died: Callable[[T, int], R]
) -> list[R]:
    workers = [(_fork_worker(work, items, share), share) for share in shares[1:]]
    results: dict[int, R] = {i: work(items[i]) for i in shares[0]}
    # Done with its own share first (it has less), the parent reads what the workers wrote so far
    # while they finish: unpickling their results is then no longer all left for after the last one.
    first = _read_while_running([worker for worker, _ in workers])
    for (_, share), (status, done) in zip(workers, first, strict=True):
        pending = share
        while True:
            results.update(done)
            pending = [i for i in pending if i not in done]
            if not pending:
                break
            # The worker died on pending[0]: that item alone in a fresh worker, then the rest.
            culprit, pending = pending[0], pending[1:]
            pid, spool = _fork_worker(work, items, [culprit])
            alone_status = _wait(pid)
            alone = _read_spool(spool)
            results[culprit] = (
                alone[culprit] if culprit in alone else died(items[culprit], alone_status or status)
            )
            if not pending:
                break
            pid, spool = _fork_worker(work, items, pending)
            status, done = _wait(pid), _read_spool(spool)
    return [results[i] for i in range(len(items))]


def _fork_worker(work: Callable[[T], R], items: list[T], share: list[int]) -> tuple[int, Any]:
    import pickle
    import tempfile

    spool = tempfile.TemporaryFile()  # a file, not a pipe: a worker never waits for the parent to read
    try:
        pid = os.fork()
    except OSError:  # no process to spare: lint the share here, through the same spool
        pid = -1
    if pid <= 0:  # the worker (or this process standing in for it)
        try:
            for index in share:
                pickle.dump((index, work(items[index])), spool, pickle.HIGHEST_PROTOCOL)
                spool.flush()  # in the kernel now: survives this process being killed
        finally:
            if pid == 0:
                os._exit(0)
    return pid, spool


def _wait(pid: int) -> int:
    return 0 if pid < 0 else os.waitpid(pid, 0)[1]


def _read_while_running(workers: list[tuple[int, Any]]) -> list[tuple[int, dict[int, Any]]]:
    """Each worker's exit status and the records it wrote completely, read while the workers run.

    Reads with `pread`, so the file offset a worker writes at (shared with the parent since the
    fork) never moves. A worker that died leaves its last record cut short: it is not read."""
    import time

    readers = [_SpoolReader(spool) for _, spool in workers]
    statuses = [0] * len(workers)
    running = {k for k, (pid, _) in enumerate(workers) if pid > 0}
    while running:
        progressed = False
        for k in sorted(running):
            reaped, status = os.waitpid(workers[k][0], os.WNOHANG)
            if reaped:
                statuses[k] = status
                running.discard(k)
            progressed |= readers[k].read()
        if running and not progressed:
            time.sleep(0.002)  # nothing new: the workers are mid-item
    for reader in readers:
        reader.read()  # what was written between the last read and the exit
        reader.spool.close()
    return [(status, reader.done) for status, reader in zip(statuses, readers, strict=True)]


class _SpoolReader:
    """The complete records of a spool a worker may still be writing to, read as they appear."""

    def __init__(self, spool: Any) -> None:
        self.spool = spool
        self.offset = 0  # of the first byte not read from the file yet
        self.rest = b""  # read, but not a whole record yet
        self.done: dict[int, Any] = {}

    def read(self) -> bool:
        """Whether anything new was written."""
        import io
        import pickle

        chunks = [self.rest]
        while chunk := os.pread(self.spool.fileno(), 1 << 20, self.offset):
            chunks.append(chunk)
            self.offset += len(chunk)
        if len(chunks) == 1:
            return False
        data = b"".join(chunks)
        stream = io.BytesIO(data)
        used = 0
        while used < len(data):
            try:
                index, result = pickle.load(stream)
            except Exception:  # noqa: BLE001 - a record still being written (or cut short by a death)
                break
            used = stream.tell()
            self.done[index] = result
        self.rest = data[used:]
        return True


def _read_spool(spool: Any) -> dict[int, Any]:
    """What a worker that has ended wrote, up to the first incomplete record (the item it was
    killed on)."""
    reader = _SpoolReader(spool)
    reader.read()
    spool.close()
    return reader.done


# The parent also reads the workers' results while they finish (and, parsing, imports the check
# modules): give it a little less. Measured on the realistic Alembic corpus, 0.15 left it idle
# ~0.13 s of the parse phase waiting for its worker (reading took ~0.05 s of it); at 0.10 the
# parent ends its share about when the worker is done, and only its last records are left to read.
PARENT_HANDICAP = 0.10


def _shares(sizes: list[int], jobs: int) -> list[list[int]]:
    """Split items by size, biggest first, each to the least loaded share (share 0 is the parent's)."""
    total = sum(sizes)
    loads = [total * PARENT_HANDICAP / jobs] + [0.0] * (jobs - 1)
    shares: list[list[int]] = [[] for _ in range(jobs)]
    for index in sorted(range(len(sizes)), key=lambda i: -sizes[i]):
        target = loads.index(min(loads))
        shares[target].append(index)
        loads[target] += sizes[index]
    return shares


def _cacheable(finding: Finding) -> dict[str, Any]:
    data = finding.__dict__.copy()
    data.pop("extra")
    return data


def _revisions_before(start_after: str, revisions: list[RevisionInfo]) -> set[str]:
    """`start_after` and all its ancestors: the history that existed before adopting the linter."""
    by_id = {r.revision: r for r in revisions if r.revision}
    matches = [rev for rev in by_id if rev == start_after or rev.startswith(start_after)]
    if len(matches) != 1:
        raise LintError(
            f"start_after = {start_after!r}: "
            + ("no such revision among the linted files" if not matches else "ambiguous revision prefix")
        )
    skipped: set[str] = set()
    stack = [matches[0]]
    while stack:
        current = stack.pop()
        if current in skipped or current not in by_id:
            continue
        skipped.add(current)
        stack.extend(by_id[current].down_revision)
    return skipped


class FileLinter:
    """Everything needed to lint files that are not cached (imports the heavy parts once)."""

    def __init__(self, config: Config, *, project_only: bool = False) -> None:
        """`project_only`: for `lint_project` alone (every file's findings came from the cache)."""
        from pytest_releasesafe import catalogue
        from pytest_releasesafe.checks.base import CheckContext

        self.config = config
        self.rules = catalogue.load()
        self.project_only = project_only
        self.created_by = os.getpid()
        phases = {"upgrade", "downgrade"} if config.downgrade else {"upgrade"}
        self.ctx: CheckContext = CheckContext(
            config.dialect, config.target_version, frozenset(phases), config.rule_options
        )
        self.active = {code: rule for code, rule in self.rules.items() if self._enabled(rule)}
        self.sizes = _size_grader(config)

    # The check modules are imported when first needed (~0.1 s for all of them): in a forked run, by
    # the parent while a worker parses (see `parse`), not before the workers start.
    @functools.cached_property
    def checks(self) -> dict[str, Any]:
        from pytest_releasesafe.checks import project_registry, registry

        return project_registry() if self.project_only else registry()

    @functools.cached_property
    def file_checks(self) -> list[tuple[str, Any, frozenset[str] | None]]:
        """(code, check, KINDS or None), looked up once: judge() walks this list for every file."""
        return [
            (code, module.check, getattr(module, "KINDS", None))
            for code, module in self.checks.items()
            if code in self.active and hasattr(module, "check")
        ]

    def seed(self, text: str | None) -> Schema:
        """The catalogue before the first migration: empty, or what the --schema file declares."""
        from pytest_releasesafe.schema.state import EMPTY, SEED

        if not text:
            return EMPTY
        from pytest_releasesafe.frontends.sql import Placement, SqlState, parse_sql
        from pytest_releasesafe.schema.snapshots import replay

        # Statements of a dump the front end cannot read only leave their objects unknown.
        operations, _ = parse_sql(text, Placement(SEED.path), self.config.dialect, SqlState(False))
        return replay(operations, EMPTY, SEED, self.config.dialect)[1]

    # which rules run
    def _enabled(self, rule: Rule) -> bool:
        config = self.config
        if rule.face != "lint" or config.dialect not in rule.dialects:
            return False
        if config.dialect == "postgresql":
            if rule.min_version is not None and config.target_version < rule.min_version:
                return False
            if rule.max_version is not None and config.target_version > rule.max_version:
                return False
        if self.severity_override(rule) == "off":
            return False
        selected = _matches(rule, config.select) if config.select else not rule.opt_in
        return selected and not _matches(rule, config.ignore)

    def severity_override(self, rule: Rule) -> str | None:
        """The most specific `[tool.releasesafe.severity]` key naming the rule (code, prefix, name)."""
        from pytest_releasesafe.selectors import matches, specificity

        keys = [k for k in self.config.severity if matches(k, rule.code, rule.name)]
        if not keys:
            return None
        return self.config.severity[max(keys, key=lambda k: specificity(k, rule.code, rule.name))]

    # one file
    def lint_contained(self, source: SourceFile) -> list[Finding]:
        """`lint`, with any failure kept to this file: a finding at the file, never an exception.

        Too deep for the default stack: retried in a thread with a large one. Still too deep: the
        file is unreadable (RS001). Anything else is the linter's own failure (RS005, exit 2).
        """
        from pytest_releasesafe import containment

        try:
            return containment.deep_retry(self.lint, source)
        except RecursionError:
            detail = (
                f"nested too deeply to read (deeper than {containment.DEEP_RECURSION_LIMIT:,} levels); "
                "split the expression or statement"
            )
            return self._meta(source.display, "RS001", 1, 1, detail=detail)
        except Exception as error:  # noqa: BLE001 - contained to this file, reported as RS005
            return self._internal_error(source, "linting the file", error)

    def parse_contained(self, source: SourceFile) -> Migration | None:
        """`parse`, or None when it fails in any way (the file is then reported by `lint_contained`)."""
        from pytest_releasesafe import containment

        if source.text is None:
            return None
        try:
            return containment.deep_retry(self.parse, source)
        except Exception:  # noqa: BLE001 - RecursionError included: reported when the file is judged
            return None

    def judge_contained(
        self, source: SourceFile, migration: Migration, schemas: dict[int, Schema]
    ) -> list[Finding]:
        """`judge`, with any failure of a check kept to this file (RS005), like `lint_contained`."""
        from pytest_releasesafe import containment

        try:
            return containment.deep_retry(self.judge, source, migration, schemas)
        except Exception as error:  # noqa: BLE001 - contained to this file, reported as RS005
            return self._internal_error(source, "judging the file", error)

    def _internal_error(self, source: SourceFile, stage: str, error: BaseException) -> list[Finding]:
        finding = self._finding(
            INTERNAL_ERROR, self._failure_hit(source.display, stage, error), source.display
        )
        assert finding is not None  # RS005 is never deselected
        return [finding]

    def _failure_hit(self, display: str, stage: str, error: BaseException) -> Hit:
        from pytest_releasesafe import containment
        from pytest_releasesafe.model import Location

        line = containment.failure_line(error.__traceback__) or 1
        return _hit(Location(display, line, 1), stage=stage, detail=containment.describe(error))

    def worker_died(self, source: SourceFile, status: int) -> list[Finding]:
        """RS005 for a file whose worker process died twice while linting it."""
        how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit code {status >> 8}"
        error = RuntimeError(f"the worker process linting it died ({how}), twice")
        return self._internal_error(source, "linting the file", error)

    def lint(self, source: SourceFile) -> list[Finding]:
        if source.text is None:
            return self._meta(source.display, "RS001", source.problem_line, 1, detail=source.problem)
        return self.judge(source, self.parse(source), {})

    def judge(self, source: SourceFile, migration: Migration, schemas: dict[int, Schema]) -> list[Finding]:
        """Run the checks on a parsed file, each seeing the catalogue's state before its statement."""
        from pytest_releasesafe import suppress

        assert source.text is not None
        self.ctx.schemas.clear()
        self.ctx.schemas.update(schemas)
        hits: list[tuple[str, Hit]] = []
        for problem in migration.problems:
            hits.append(("RS001", _hit(problem.location, detail=problem.message)))
        for op in self.ctx.ops(migration, "unrecognized"):
            excerpt = " ".join((op.sql or "").split())[:80]
            hits.append(
                ("RS002", _hit(op.location, detail=f"{op.get('reason')}{': ' + excerpt if excerpt else ''}"))
            )
        present = self.ctx.kinds_present(migration)
        for code, check, kinds in self.file_checks:
            if kinds is not None and kinds.isdisjoint(present):
                continue  # nothing this check looks at occurs in the file
            try:
                hits.extend((code, h) for h in check(migration, self.ctx))
            except RecursionError:
                raise  # the whole file is retried with a deeper stack
            except Exception as error:  # noqa: BLE001 - one broken check must not cost the others
                hits.append(
                    (INTERNAL_ERROR, self._failure_hit(source.display, f"running the {code} check", error))
                )
        findings = [f for code, h in hits if (f := self._finding(code, h, source.display)) is not None]
        return self._apply_suppressions(findings, suppress.find(source.text), source.display)

    def parse(self, source: SourceFile) -> Migration:
        assert source.text is not None
        if "file_checks" not in self.__dict__ and os.getpid() == self.created_by:
            self.file_checks  # noqa: B018 - imported now: in a forked run, while the worker parses too
        if source.path.suffix == ".py":
            from pytest_releasesafe.frontends.alembic import parse_alembic

            return parse_alembic(
                source.display, source.text, self.config.dialect, transactional=self.config.transactional
            )
        from pytest_releasesafe.frontends.sql_file import parse_sql_file

        return parse_sql_file(
            source.display, source.text, self.config.dialect, in_transaction=self.config.sql_in_transaction
        )

    def lint_project(self, revisions: list[RevisionInfo], only: set[Path] | None) -> list[Finding]:
        findings: list[Finding] = []
        for code, module in self.checks.items():
            if code in self.active and hasattr(module, "check_project"):
                try:
                    hits = list(module.check_project(revisions, self.ctx))
                except Exception as error:  # noqa: BLE001 - the per-file findings are reported regardless
                    # Shown at a file the user asked about: with only some files given, the first
                    # revision of the history may be one that is read but never reported.
                    given = [r.path for r in revisions if only is None or Path(r.path).resolve() in only]
                    where = given[0] if given else revisions[0].path if revisions else "."
                    hits = [self._failure_hit(where, f"running the {code} project check", error)]
                    code = INTERNAL_ERROR
                for h in hits:
                    finding = self._finding(code, h, h.location.path)
                    shown = only is None or code == INTERNAL_ERROR or Path(h.location.path).resolve() in only
                    if finding is not None and shown:
                        findings.append(finding)
        return findings

    def _finding(self, code: str, h: Hit, path: str) -> Finding | None:
        rule = self.rules[code]
        if code == INTERNAL_ERROR:  # the linter's own failure is never deselected, ignored or downgraded
            severity = rule.severity
        elif code not in self.active or _path_ignored(path, code, rule.name, self.config):
            return None
        else:
            severity = self.severity_override(rule) or h.severity or rule.severity
        dialect = self.config.dialect
        loc = h.location
        message = " ".join(rule.render("message", h.values, dialect).split())
        if self.sizes is not None and h.op is not None and self.severity_override(rule) is None:
            graded = self.sizes.grade(code, h.op.table, h.op.schema)
            if graded is not None:
                severity, message = graded.severity, f"{message} {graded.note}"
        return Finding(
            path=path,
            line=loc.line,
            column=loc.column,
            end_line=loc.end_line or loc.line,
            end_column=loc.end_column or loc.column,
            rule=code,
            name=rule.name,
            severity=severity,
            message=message,
            help=rule.render("help", h.values, dialect, h.source),
        )

    def _meta(self, path: str, code: str, line: int, column: int, **values: Any) -> list[Finding]:
        from pytest_releasesafe.model import Location

        finding = self._finding(code, _hit(Location(path, line, column), **values), path)
        return [finding] if finding else []

    def _apply_suppressions(self, findings: list[Finding], suppressions: list, path: str) -> list[Finding]:
        if not suppressions:
            return findings
        kept: list[Finding] = []
        for finding in findings:
            covering = [s for s in suppressions if s.covers(finding.rule, finding.name, finding.line)]
            if covering and finding.rule not in ("RS001", INTERNAL_ERROR):
                for s in covering:
                    s.used.add(finding.rule)
                continue
            kept.append(finding)
        from pytest_releasesafe.selectors import problem

        for s in suppressions:
            codes = ", ".join(s.codes) or "nothing"
            if not s.reason:
                kept.extend(self._meta(path, "RS004", s.line, s.column, codes=codes))
            unknown = [(c, reason) for c in s.codes if (reason := problem(c))]
            for selector, reason in unknown:
                kept.extend(self._meta(path, "RS006", s.line, s.column, selector=selector, reason=reason))
            if not s.used and (not s.codes or len(unknown) < len(s.codes)):
                kept.extend(self._meta(path, "RS003", s.line, s.column, codes=codes))
        return kept


def _size_grader(config: Config) -> Any:
    """A SizeGrader from the configured statistics file, or None (no file: severities as declared)."""
    if config.stats is None:
        return None
    from pytest_releasesafe.sizes.grading import SizeGrader, Thresholds
    from pytest_releasesafe.sizes.stats_file import StatsFileError, load

    try:
        stats = load(config.stats)
    except StatsFileError as error:
        raise LintError(str(error)) from None
    return SizeGrader(stats, Thresholds(config.size_small_rows, config.size_large_rows))


def _hit(location: Any, **values: Any) -> Hit:
    from pytest_releasesafe.checks.base import Hit

    return Hit(location, values)


def _matches(rule: Rule, selectors: tuple[str, ...]) -> bool:
    from pytest_releasesafe.selectors import matches

    return any(matches(s, rule.code, rule.name) for s in selectors)


def _path_ignored(path: str, code: str, name: str, config: Config) -> bool:
    from pytest_releasesafe.selectors import matches

    for pattern, codes in config.per_path_ignores.items():
        if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(Path(path).name, pattern):
            if any(matches(c, code, name) for c in codes):
                return True
    return False
