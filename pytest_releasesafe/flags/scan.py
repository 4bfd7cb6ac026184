"""`releasesafe flags scan`: files -> prefilter -> parse -> references -> findings."""

from __future__ import annotations

import ast
import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import Finding
from .config import FlagsConfig
from .files import prefilter, python_files
from .inventory import InventoryError, InventoryFlag, load_inventory
from .references import FlagReference, find_references
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


def collect_references(paths: Sequence[Path], config: FlagsConfig, result: ScanResult) -> ProjectIndex:
    index = ProjectIndex()
    if config.source is not None:
        index.add_root(config.source.parent)
    pattern = prefilter(config)
    parsed: list[tuple[str, ast.Module, ModuleSummary, list[ast.AST]]] = []
    for filename in python_files(paths, config.excludes):
        result.files_seen += 1
        result.files.append(filename)
        try:
            with open(filename, "rb") as file:
                data = file.read()
        except OSError as error:
            result.findings.append(
                finding("flag-parse-error", display_path(filename), 1, 1, f"Cannot read: {error}", "", None)
            )
            continue
        if not pattern.wants(data):
            continue
        path = Path(filename)
        shown = display_path(path)
        try:
            tree = ast.parse(data, filename=shown)
        except (SyntaxError, ValueError) as error:
            line = getattr(error, "lineno", None) or 1
            message = f"Cannot parse: {getattr(error, 'msg', error)}; flag checks in this file are not known."
            result.findings.append(
                finding("flag-parse-error", shown, line, 1, message, "Fix the syntax error.", None)
            )
            continue
        result.files_parsed += 1
        name, root = module_name_for(path)
        index.add_root(root)
        candidates: list[ast.AST] = []
        summary = summarize(tree, name, path.name == "__init__.py", candidates)
        summary.path = path
        index.add(summary)
        parsed.append((shown, tree, summary, candidates))
        result.parsed[shown] = (path, summary)
    # Second pass: every module is indexed now, so keys defined in other modules resolve.
    for shown, tree, summary, candidates in parsed:
        result.references.extend(find_references(shown, tree, summary, index, config, candidates))
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
