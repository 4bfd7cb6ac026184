"""Flag references in one file, found with the standard-library parser (the fast scan path)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from .aliases import FunctionAliases, alias_candidates, substitute
from .ast_shapes import call_shape, to_expr
from .config import FlagsConfig
from .matching import FlagCheck, match_call, match_registry_subscript, waffle_mixin_attribute
from .sdks import call_names
from .shapes import CallShape, Expr
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
    names.update(toggle.qualified_name.rsplit(".", 1)[-1] for toggle in config.test_toggles)
    if config.registries:
        names.add("get")
    names.update(summary.imports)  # aliases: `from waffle import flag_is_active as active`
    names.update(summary.definitions)  # a helper called inside its own module
    return frozenset(names)


Span = tuple[int, int, int, int]  # line, column, end line, end column (1-based)


def _span(node: ast.AST) -> Span:
    return (
        node.lineno,  # type: ignore[attr-defined]
        node.col_offset + 1,  # type: ignore[attr-defined]
        node.end_lineno or node.lineno,  # type: ignore[attr-defined]
        (node.end_col_offset or 0) + 1,  # type: ignore[attr-defined]
    )


@dataclass(frozen=True)
class Candidate:
    """A place that may be a flag check, reduced to plain data (it crosses process boundaries)."""

    span: Span
    shape: CallShape | None = None  # a call
    registry: tuple[Expr, Expr] | None = None  # REGISTRY[key]: (registry, key)
    mixin: tuple[str, Expr] | None = None  # waffle mixin attribute: (attribute name, value)


@dataclass
class FileFacts:
    """What one parsed file contributes: its module summary and its candidate checks."""

    path: str
    shown: str
    root: str  # import root the module lives under
    summary: ModuleSummary
    candidates: list[Candidate]
    helper_spans: list[tuple[int, int]]  # bodies of configured helpers, whose dynamic keys are fine


def extract_facts(
    path: str,
    shown: str,
    tree: ast.Module,
    summary: ModuleSummary,
    root: str,
    nodes: list[ast.AST],
    config: FlagsConfig,
) -> FileFacts:
    """Candidates among a file's calls, subscripts and classes (``nodes``), filtered by name."""
    worth_matching = callable_names(summary, config)
    module_names = set(summary.constants) | set(summary.imports) | summary.definitions
    aliases = FunctionAliases(tree)
    candidates: list[Candidate] = []
    for node in nodes:
        if isinstance(node, ast.Call):
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else None
            )
            if name in worth_matching:
                shape = call_shape(node)
                if alias_candidates(shape, module_names):
                    shape, _ = substitute(shape, aliases.at(node.lineno))
                candidates.append(Candidate(_span(node), shape=shape))
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and config.registries:
            candidates.append(Candidate(_span(node), registry=(to_expr(node.value), to_expr(node.slice))))
        elif isinstance(node, ast.ClassDef) and node.bases:
            attribute = waffle_mixin_attribute([to_expr(base) for base in node.bases], summary)
            for statement in node.body if attribute else ():
                if (
                    isinstance(statement, ast.Assign)
                    and len(statement.targets) == 1
                    and isinstance(statement.targets[0], ast.Name)
                    and statement.targets[0].id == attribute
                ):
                    candidates.append(
                        Candidate(_span(statement), mixin=(attribute, to_expr(statement.value)))
                    )
    helper_spans = [
        (statement.lineno, statement.end_lineno or statement.lineno)
        for statement in tree.body
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
        and config.helper(f"{summary.name}.{statement.name}") is not None
    ]
    return FileFacts(path, shown, root, summary, candidates, helper_spans)


def _match(
    candidate: Candidate, summary: ModuleSummary, index: ProjectIndex, config: FlagsConfig
) -> FlagCheck | None:
    if candidate.shape is not None:
        return match_call(candidate.shape, summary, index, config)
    if candidate.registry is not None:
        return match_registry_subscript(*candidate.registry, summary, index, config)
    if candidate.mixin is not None:
        attribute, value = candidate.mixin
        key = index.key_value(value, summary)
        negated = key is not None and key.startswith("!")
        return FlagCheck(
            "waffle", attribute, "mixin", key[1:] if negated and key is not None else key, negated
        )
    return None


def find_references(facts: FileFacts, index: ProjectIndex, config: FlagsConfig) -> list[FlagReference]:
    """The flag checks among a file's candidates, now that every module is indexed."""
    found: list[FlagReference] = []
    for candidate in facts.candidates:
        check = _match(candidate, facts.summary, index, config)
        if check is None:
            continue
        line = candidate.span[0]
        # A configured helper's own body looks flags up by a parameter: that is its job, not a finding.
        if check.key is None and any(start <= line <= end for start, end in facts.helper_spans):
            continue
        found.append(FlagReference(facts.shown, *candidate.span, check))
    found.sort(key=lambda reference: (reference.line, reference.column))
    return found
