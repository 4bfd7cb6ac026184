"""`releasesafe flags remove NAME --value on|off`: rewrite every file that checks the flag."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from .cleanup import remove_unused
from .codemod import FlagRemover, Note
from .config import FlagsConfig
from .scan import ScanResult, collect_references
from .summary import ProjectIndex


@dataclass
class FileChange:
    path: Path
    shown: str
    before: str
    after: str
    notes: list[Note] = field(default_factory=list)
    error: str | None = None

    @property
    def changed(self) -> bool:
        return self.error is None and self.after != self.before

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
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


class _OtherFiles:
    """Does any other file mention a name? (A helper another module imports must stay.)"""

    def __init__(self, files: list[Path]) -> None:
        self._files = files
        self._texts: dict[Path, bytes] = {}

    def mentions(self, name: str, besides: Path) -> bool:
        pattern = re.compile(rb"\b" + re.escape(name.encode()) + rb"\b")
        for path in self._files:
            if path == besides:
                continue
            if path not in self._texts:
                try:
                    self._texts[path] = path.read_bytes()
                except OSError:
                    self._texts[path] = b""
            if pattern.search(self._texts[path]):
                return True
        return False


def rewrite_source(
    source: str,
    shown: str,
    flag: str,
    value: bool,
    summary_for_file,
    index: ProjectIndex,
    config: FlagsConfig,
    used_elsewhere=lambda name: False,
) -> tuple[str, list[Note]]:
    """The rewritten source and the notes for a human. Raises ValueError when the result is unsafe."""
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        raise ValueError(f"cannot parse: {error.message} (line {error.raw_line})") from error
    remover = FlagRemover(flag, value, module, summary_for_file, index, config)
    rewritten = module.visit(remover)
    if not remover.changed:
        return source, remover.notes
    rewritten = remove_unused(module, rewritten, used_elsewhere)
    code = rewritten.code
    # The rewrite must still be Python: never write a file that would not import.
    try:
        compile(code, shown, "exec", dont_inherit=True)
        cst.parse_module(code)
    except (SyntaxError, ValueError, cst.ParserSyntaxError) as error:
        raise ValueError(f"the rewritten file would not compile ({error}); left unchanged") from error
    return code, remover.notes


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
    others = _OtherFiles(scan.files)
    changes: list[FileChange] = []
    for shown in sorted(referencing):
        path, summary = scan.parsed[shown]
        source = path.read_text(encoding="utf-8")
        change = FileChange(path, shown, source, source)
        try:
            change.after, change.notes = rewrite_source(
                source, shown, flag, value, summary, index, config, lambda name: others.mentions(name, path)
            )
        except (ValueError, UnicodeDecodeError) as error:
            change.error = str(error)
        changes.append(change)
    return RemovalResult(changes, scan, references)
