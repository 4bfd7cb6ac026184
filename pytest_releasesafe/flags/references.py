"""Flag references in one file, found with the standard-library parser (the fast scan path)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from .ast_shapes import call_shape, to_expr
from .config import FlagsConfig
from .matching import FlagCheck, match_call, match_registry_subscript, waffle_mixin_attribute
from .sdks import call_names
from .summary import ModuleSummary, ProjectIndex

CALL_NAMES = frozenset(call_names())


@dataclass(frozen=True)
class FlagReference:
    path: str
    line: int  # 1-based
    column: int  # 1-based
    end_line: int
    end_column: int
    check: FlagCheck

    @property
    def flag(self) -> str | None:
        return self.check.key


def callable_names(summary: ModuleSummary, config: FlagsConfig) -> frozenset[str]:
    """Names a call must end in to possibly be a flag check in this module. Most calls in a file
    are not flag checks: ruling them out by name first saves building and matching their shapes."""
    names = set(CALL_NAMES)
    names.update(check.qualified_name.rsplit(".", 1)[-1] for check in config.checks)
    if config.registries:
        names.add("get")
    names.update(summary.imports)  # aliases: `from waffle import flag_is_active as active`
    names.update(summary.definitions)  # a helper called inside its own module
    return frozenset(names)


def _reference(path: str, node: ast.AST, check: FlagCheck) -> FlagReference:
    return FlagReference(
        path,
        node.lineno,  # type: ignore[attr-defined]
        node.col_offset + 1,  # type: ignore[attr-defined]
        node.end_lineno or node.lineno,  # type: ignore[attr-defined]
        (node.end_col_offset or 0) + 1,  # type: ignore[attr-defined]
        check,
    )


def _mixin_references(
    path: str, node: ast.ClassDef, summary: ModuleSummary, index: ProjectIndex
) -> list[FlagReference]:
    attribute = waffle_mixin_attribute([to_expr(base) for base in node.bases], summary)
    found: list[FlagReference] = []
    if attribute is None:
        return found
    for statement in node.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and statement.targets[0].id == attribute
        ):
            key = index.key_value(to_expr(statement.value), summary)
            negated = key is not None and key.startswith("!")
            check = FlagCheck("waffle", attribute, "mixin", key[1:] if negated else key, negated)
            found.append(_reference(path, statement, check))
    return found


def find_references(
    path: str,
    tree: ast.Module,
    summary: ModuleSummary,
    index: ProjectIndex,
    config: FlagsConfig,
    candidates: list[ast.AST] | None = None,
) -> list[FlagReference]:
    """Flag checks in ``tree``; ``candidates`` are its calls/subscripts/classes if already collected."""
    found: list[FlagReference] = []
    worth_matching = callable_names(summary, config)
    for node in ast.walk(tree) if candidates is None else candidates:
        if isinstance(node, ast.Call):
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else None
            )
            if name not in worth_matching:
                continue
            check = match_call(call_shape(node), summary, index, config)
            if check is not None:
                found.append(_reference(path, node, check))
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and config.registries:
            check = match_registry_subscript(to_expr(node.value), to_expr(node.slice), summary, index, config)
            if check is not None:
                found.append(_reference(path, node, check))
        elif isinstance(node, ast.ClassDef):
            found.extend(_mixin_references(path, node, summary, index))
    # A configured helper's own body looks flags up by a parameter: that is its job, not a finding.
    helper_spans = [
        (statement.lineno, statement.end_lineno or statement.lineno)
        for statement in tree.body
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
        and config.helper(f"{summary.name}.{statement.name}") is not None
    ]
    found = [
        reference
        for reference in found
        if reference.flag is not None
        or not any(start <= reference.line <= end for start, end in helper_spans)
    ]
    found.sort(key=lambda reference: (reference.line, reference.column))
    return found
