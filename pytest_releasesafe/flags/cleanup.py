"""After a removal: drop imports and module-level helpers that only the removed code used.

Only names the removal made unused go: an import that was already unused before stays (that is
someone else's business), and a helper stays if any other file mentions its name. Usage is counted
with the standard-library parser: far cheaper than another libcst pass, and exact for names.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Callable
from typing import TypeVar

import libcst as cst

from .blocks import Decision, rebuild_block, rebuild_module
from .newer_syntax import parse_python
from .tree_walk import walk

_ImportT = TypeVar("_ImportT", cst.Import, cst.ImportFrom)

MAX_ROUNDS = 5  # removing a helper can orphan imports only it used; a few rounds settle it


def name_uses(code: str | ast.AST) -> tuple[Counter[str], set[str]]:
    """(how often each name is read or bound outside imports/defs, names bound by imports)."""
    counts: Counter[str] = Counter()
    imported: set[str] = set()
    for node in walk(parse_python(code) if isinstance(code, str) else code):
        if isinstance(node, ast.Name):
            counts[node.id] += 1
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier():
            counts[node.value] += 1  # __all__ entries and string annotations keep a name alive
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            for alias in node.names:
                imported.add(alias.asname or alias.name.split(".")[0])
    return counts, imported


def _bound_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    name: cst.BaseExpression = alias.name
    while isinstance(name, cst.Attribute):
        name = name.value
    assert isinstance(name, cst.Name)
    return name.value


# Statement containers: the only nodes under which an import statement can be.
_CONTAINERS = (
    cst.Module,
    cst.IndentedBlock,
    cst.SimpleStatementLine,
    cst.FunctionDef,
    cst.ClassDef,
    cst.If,
    cst.Else,
    cst.For,
    cst.While,
    cst.With,
    cst.Try,
    cst.TryStar,
    cst.ExceptHandler,
    cst.ExceptStarHandler,
    cst.Finally,
    cst.Match,
    cst.MatchCase,
    cst.Import,
    cst.ImportFrom,
)


class _DropImports(cst.CSTTransformer):
    def __init__(self, removable: set[str]) -> None:
        super().__init__()
        self.removable = removable
        self.decisions: dict[int, Decision] = {}
        self._emptied: set[int] = set()

    def on_visit(self, node: cst.CSTNode) -> bool:
        # Never descend into expressions: nothing to do there, and it is most of the tree.
        return isinstance(node, _CONTAINERS) and super().on_visit(node)

    def _narrow(self, node: _ImportT) -> _ImportT:
        if isinstance(node.names, cst.ImportStar):
            return node
        names = list(node.names)
        kept = [alias for alias in names if _bound_name(alias) not in self.removable]
        if len(kept) == len(names):
            return node
        if not kept:
            self._emptied.add(id(node))  # its line is dropped by leave_SimpleStatementLine
            return node
        if kept[-1] is not names[-1]:
            kept[-1] = kept[-1].with_changes(comma=names[-1].comma)
        return node.with_changes(names=kept)

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
        return self._narrow(updated_node)

    def leave_ImportFrom(self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom) -> cst.ImportFrom:
        if isinstance(updated_node.module, cst.Name) and updated_node.module.value == "__future__":
            return updated_node
        return self._narrow(updated_node)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement:
        kept = [small for small in updated_node.body if id(small) not in self._emptied]
        if len(kept) == len(updated_node.body):
            return updated_node
        if not kept:
            self.decisions[id(updated_node)] = Decision([])
            return updated_node
        kept[-1] = kept[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(body=kept)

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.BaseSuite:
        return rebuild_block(updated_node, self.decisions)

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return rebuild_module(updated_node, self.decisions)


def remove_unused(
    before_code: str,
    after: cst.Module,
    used_elsewhere: Callable[[str], bool],
    expand: Callable[[str], str] = lambda code: code,
    used_before: Counter[str] | None = None,
) -> tuple[cst.Module, str]:
    """``after`` without imports and helpers that ``before_code`` used and it does not, and the
    file's code (``expand`` turns ``after``'s code into it: see standin.py)."""
    if used_before is None:
        used_before, _ = name_uses(before_code)
    code = expand(after.code)
    used_now, imported = name_uses(code)

    def newly_unused(name: str) -> bool:
        return used_before[name] > 0 and used_now[name] <= 0

    changed = False
    for _ in range(MAX_ROUNDS):
        decisions: dict[int, Decision] = {}
        for statement in after.body:
            if (
                isinstance(statement, cst.FunctionDef)
                and newly_unused(statement.name.value)
                and not statement.name.value.startswith("test")
                and not used_elsewhere(statement.name.value)
            ):
                decisions[id(statement)] = unused_helper()
                # What the helper used is used that much less (it may free imports or helpers).
                used_now.subtract(name_uses(cst.Module([]).code_for_node(statement))[0])
        if not decisions:
            break
        after = rebuild_module(after, decisions)
        changed = True
    removable = {name for name in imported if newly_unused(name)}
    if removable:
        if _top_level_imports(after) >= removable:
            # The usual case: only the module's own import lines to narrow, no need to walk the tree.
            after = narrow_top_level_imports(after, removable)
        else:
            after = after.visit(_DropImports(removable))
        changed = True
    return after, expand(after.code) if changed else code


def narrow_top_level_imports(module: cst.Module, removable: set[str]) -> cst.Module:
    """``module`` without the names ``removable`` in its top-level import lines (a line left
    empty goes, with the blank-line rules of blocks.py)."""
    dropper = _DropImports(removable)
    body = [
        dropper.leave_SimpleStatementLine(line, _narrow_line(dropper, line))
        if isinstance(line, cst.SimpleStatementLine)
        else line
        for line in module.body
    ]
    return rebuild_module(module.with_changes(body=body), dropper.decisions)


def unused_helper() -> Decision:
    """What becomes of a helper nothing uses any more: it goes, its comments with it."""
    return Decision([], keep_comments=False)


def _top_level_imports(module: cst.Module) -> set[str]:
    return {
        _bound_name(alias)
        for line in module.body
        if isinstance(line, cst.SimpleStatementLine)
        for small in line.body
        if isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar)
        for alias in small.names
    }


def _narrow_line(dropper: _DropImports, statement: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
    body = [
        dropper.leave_ImportFrom(small, small)
        if isinstance(small, cst.ImportFrom)
        else dropper.leave_Import(small, small)
        if isinstance(small, cst.Import)
        else small
        for small in statement.body
    ]
    return statement.with_changes(body=body)
