"""After a removal: drop imports and module-level helpers that only the removed code used.

Only names the removal made unused go: an import that was already unused before stays (that is
someone else's business), and a helper stays if any other file mentions its name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import libcst as cst

from .blocks import Decision, rebuild_block, rebuild_module

_MAX_ROUNDS = 5  # removing a helper can orphan imports only it used; a few rounds settle it


class _NameUses(cst.CSTVisitor):
    """How often each name is read. Binding sites (imports, def/class names, keywords) don't count."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.counts[node.value] += 1

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.counts[node.attr.value] -= 1

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.counts[node.name.value] -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.counts[node.name.value] -= 1

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.counts[node.keyword.value] -= 1

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        # Names listed in __all__ (or in string annotations) count as used.
        value = node.evaluated_value
        if isinstance(value, str) and value.isidentifier():
            self.counts[value] += 1


def name_uses(module: cst.Module) -> Counter[str]:
    visitor = _NameUses()
    module.visit(visitor)
    return visitor.counts


def _bound_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    name = alias.name
    while isinstance(name, cst.Attribute):
        name = name.value
    assert isinstance(name, cst.Name)
    return name.value


class _DropUnused(cst.CSTTransformer):
    def __init__(self, removable: set[str]) -> None:
        super().__init__()
        self.removable = removable
        self.changed = False
        self.decisions: dict[int, Decision] = {}
        self._emptied: set[int] = set()

    def _filter(self, names: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
        kept = [alias for alias in names if _bound_name(alias) not in self.removable]
        if len(kept) != len(names):
            self.changed = True
            if kept and kept[-1] is not names[-1]:
                kept[-1] = kept[-1].with_changes(comma=names[-1].comma)
        return kept

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import):
        return self._narrow(updated_node)

    def _narrow(self, node: cst.Import | cst.ImportFrom) -> cst.Import | cst.ImportFrom:
        kept = self._filter(list(node.names))  # type: ignore[arg-type]
        if kept:
            return node.with_changes(names=kept)
        self._emptied.add(id(node))  # its line is dropped by leave_SimpleStatementLine
        return node

    def leave_ImportFrom(self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom):
        if isinstance(updated_node.names, cst.ImportStar):
            return updated_node
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


def remove_unused(before: cst.Module, after: cst.Module, used_elsewhere: Callable[[str], bool]) -> cst.Module:
    """``after`` without imports and helpers that were used in ``before`` and are not any more."""
    used_before = name_uses(before)
    for _ in range(_MAX_ROUNDS):
        used_now = name_uses(after)

        def newly_unused(name: str) -> bool:
            return used_before[name] > 0 and used_now[name] <= 0

        decisions: dict[int, Decision] = {}
        for statement in after.body:
            if (
                isinstance(statement, cst.FunctionDef)
                and newly_unused(statement.name.value)
                and not statement.name.value.startswith("test")
                and not used_elsewhere(statement.name.value)
            ):
                decisions[id(statement)] = Decision([], keep_comments=False)
        after = rebuild_module(after, decisions)
        dropper = _DropUnused({name for name in used_before if newly_unused(name)})
        after = after.visit(dropper)
        if not decisions and not dropper.changed:
            break
    return after
