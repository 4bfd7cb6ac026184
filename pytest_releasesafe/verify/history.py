"""Static facts about a revision history, read with `ast` (no revision file is imported here).

Alembic itself refuses to load a history with a dangling down_revision and quietly keeps one of two
files that share a revision id, so these checks read the files directly to report both by file.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RevisionFile:
    path: Path
    revision: str | None
    down_revisions: tuple[str, ...]
    line: int  # line of the `revision = ...` assignment
    # How downgrade() gives up, when it does: "pass", "raise <the not-implemented error>", "missing"; else "".
    irreversible: str = ""
    downgrade_line: int = 0
    error: str = ""  # why the file could not be read


@dataclass(frozen=True)
class HistoryProblem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _literal_ids(node: ast.expr | None) -> tuple[str, ...] | None:
    """A revision id or a tuple/list of them; None when the value is not a plain literal."""
    if node is None:
        return ()
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return None
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (tuple, list)) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def _assigned(tree: ast.Module, name: str) -> ast.Assign | ast.AnnAssign | None:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return node
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            return node
    return None


def _gives_up(function: ast.FunctionDef) -> str:
    body = list(function.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # docstring
    if not body or all(isinstance(node, ast.Pass) for node in body):
        return "pass"
    if all(isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) for node in body):
        return "pass"  # only `...`
    first = body[0]
    if isinstance(first, ast.Raise) and first.exc is not None:
        raised = first.exc.func if isinstance(first.exc, ast.Call) else first.exc
        if isinstance(raised, ast.Name) and raised.id == "NotImplementedError":
            return f"raise {raised.id}"
    return ""


def read_revision_file(path: Path) -> RevisionFile:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (SyntaxError, UnicodeDecodeError, OSError) as error:
        line = getattr(error, "lineno", 0) or 0
        return RevisionFile(path, None, (), line, error=f"cannot parse: {error}")
    revision_node = _assigned(tree, "revision")
    if revision_node is None or revision_node.value is None:
        return RevisionFile(path, None, (), 1, error="no `revision = ...` assignment")
    revision = _literal_ids(revision_node.value)
    if not revision or len(revision) != 1:
        return RevisionFile(path, None, (), revision_node.lineno, error="`revision` is not a string literal")
    down_node = _assigned(tree, "down_revision")
    down = _literal_ids(down_node.value if down_node else None)
    if down_node is None or down is None:
        line = down_node.lineno if down_node else revision_node.lineno
        return RevisionFile(
            path,
            revision[0],
            (),
            line,
            error="`down_revision` is missing or not a literal (use None for a base)",
        )
    downgrade = next(
        (node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "downgrade"), None
    )
    irreversible = "missing" if downgrade is None else _gives_up(downgrade)
    return RevisionFile(
        path,
        revision[0],
        down,
        revision_node.lineno,
        irreversible=irreversible,
        downgrade_line=downgrade.lineno if downgrade else 0,
    )


def read_history(version_dirs: Iterable[Path]) -> list[RevisionFile]:
    files = []
    for directory in version_dirs:
        for path in sorted(Path(directory).rglob("*.py")):
            if path.name != "__init__.py":
                files.append(read_revision_file(path))
    return files


def history_problems(
    files: Sequence[RevisionFile], expected_heads: Sequence[str] = ()
) -> list[HistoryProblem]:
    """One head (or exactly `expected_heads`), unique ids, every down_revision present, readable files."""
    problems = [HistoryProblem(f.path, f.line, f.error) for f in files if f.error and f.revision is None]
    by_id: dict[str, list[RevisionFile]] = defaultdict(list)
    for file in files:
        if file.revision:
            by_id[file.revision].append(file)
    for revision, same in sorted(by_id.items()):
        if len(same) > 1:
            others = ", ".join(str(f.path) for f in same[1:])
            problems.append(
                HistoryProblem(
                    same[0].path, same[0].line, f"duplicate revision id {revision!r}: also in {others}"
                )
            )
    referenced: set[str] = set()
    for file in files:
        if file.error and file.revision:
            problems.append(HistoryProblem(file.path, file.line, file.error))
        for parent in file.down_revisions:
            referenced.add(parent)
            if parent not in by_id:
                problems.append(
                    HistoryProblem(
                        file.path,
                        file.line,
                        f"revision {file.revision} names down_revision {parent!r},"
                        " which no revision file defines",
                    )
                )
    heads = sorted(revision for revision in by_id if revision not in referenced)
    if expected_heads:
        if sorted(expected_heads) != heads:
            problems.append(
                HistoryProblem(
                    files[0].path.parent if files else Path("."),
                    0,
                    f"heads are {', '.join(heads) or 'none'}; expected {', '.join(sorted(expected_heads))}",
                )
            )
    elif len(heads) > 1:
        where = ", ".join(f"{h} ({by_id[h][0].path.name})" for h in heads)
        problems.append(
            HistoryProblem(
                by_id[heads[0]][0].path,
                by_id[heads[0]][0].line,
                f"{len(heads)} heads: {where};"
                " merge them (alembic merge heads) or list them in releasesafe_heads",
            )
        )
    return problems
