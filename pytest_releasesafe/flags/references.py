"""Flag references in one file, found with the standard-library parser (the fast scan path)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from .aliases import Alias, FunctionAliases, alias_candidates, substitute
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


@dataclass(frozen=True)
class _PendingCall:
    span: Span
    name: str
    shape: CallShape
    aliases: dict[str, Alias]  # of the function around it, when it passes a bare name


@dataclass(frozen=True)
class _PendingClass:
    bases: list[Expr]
    assigns: list[tuple[Span, str, Expr]]  # ``name = value`` statements of its body


@dataclass(frozen=True)
class Handover:
    pending: list[tuple[tuple[int, int], _PendingCall | _PendingClass | Candidate]]
    helper_spans: list[tuple[int, int]]
    skipped: dict[str, set[int]]


class FactsCollector:
    """Candidates of one file, gathered a chunk of top-level statements at a time (chunks.py):
    which calls may be checks depends on what the whole module imports and defines, so each chunk
    keeps plain data (never its tree) and the candidates are decided at the end. A call by a name
    that only a later chunk defines is looked up again in its chunk (``refetch``)."""

    def __init__(self, config: FlagsConfig) -> None:
        self.config = config
        # Keyed by (chunk, position among its nodes): the order a walk of the whole module has.
        self._pending: list[tuple[tuple[int, int], _PendingCall | _PendingClass | Candidate]] = []
        self.helper_spans: list[tuple[int, int]] = []
        self.skipped: dict[str, set[int]] = {}  # call name not yet known as callable -> chunks

    def add(
        self,
        chunk: int,
        tree: ast.Module,
        nodes: list[ast.AST],
        summary: ModuleSummary,
        only: set[str] | None,
    ) -> None:
        """Take a chunk's candidate ``nodes`` (from summarize); ``summary`` is the module so far.
        ``only``: on a second look at a chunk, the call names that turned out callable."""
        config = self.config
        worth_matching = callable_names(summary, config) if only is None else only
        aliases = FunctionAliases(tree)
        for number, node in enumerate(nodes):
            order = (chunk, number)
            if isinstance(node, ast.Call):
                func = node.func
                name = (
                    func.attr
                    if isinstance(func, ast.Attribute)
                    else func.id
                    if isinstance(func, ast.Name)
                    else None
                )
                if name is None:
                    continue
                if name not in worth_matching:
                    if only is None:
                        self.skipped.setdefault(name, set()).add(chunk)
                    continue
                shape = call_shape(node)
                local = aliases.at(node.lineno) if alias_candidates(shape, set()) else {}
                self._pending.append((order, _PendingCall(_span(node), name, shape, local)))
            elif only is not None:
                continue
            elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and config.registries:
                registry = (to_expr(node.value), to_expr(node.slice))
                self._pending.append((order, Candidate(_span(node), registry=registry)))
            elif isinstance(node, ast.ClassDef) and node.bases:
                assigns = [
                    (_span(statement), statement.targets[0].id, to_expr(statement.value))
                    for statement in node.body
                    if isinstance(statement, ast.Assign)
                    and len(statement.targets) == 1
                    and isinstance(statement.targets[0], ast.Name)
                ]
                self._pending.append((order, _PendingClass([to_expr(base) for base in node.bases], assigns)))
        if only is None:
            self.helper_spans.extend(
                (statement.lineno, statement.end_lineno or statement.lineno)
                for statement in tree.body
                if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
                and config.helper(f"{summary.name}.{statement.name}") is not None
            )

    def handover(self) -> Handover:
        """What this collector gathered, as plain data for another process."""
        return Handover(self._pending, self.helper_spans, self.skipped)

    def adopt(self, later: Handover, callable_now: frozenset[str]) -> None:
        """Take what another collector gathered from the chunks after this one's, guessing more
        names callable than it could know (it did not see the chunks before): its calls by a name
        not callable in the whole module go, as this collector would never have kept them; its
        calls by a name it did not guess are looked up again (``refetch``), as here."""
        self._pending.extend(
            item
            for item in later.pending
            if not isinstance(item[1], _PendingCall) or item[1].name in callable_now
        )
        self.helper_spans.extend(later.helper_spans)
        for name, chunks in later.skipped.items():
            self.skipped.setdefault(name, set()).update(chunks)

    def refetch(self, summary: ModuleSummary) -> dict[int, set[str]]:
        """Chunks to look at again, with the call names now known to be callable there."""
        worth_matching = callable_names(summary, self.config)
        again: dict[int, set[str]] = {}
        for name, chunks in self.skipped.items():
            if name in worth_matching:
                for chunk in chunks:
                    again.setdefault(chunk, set()).add(name)
        return again

    def facts(self, path: str, shown: str, root: str, summary: ModuleSummary) -> FileFacts:
        """The file's candidates, now that the whole module is summarised."""
        module_names = set(summary.constants) | set(summary.imports) | summary.definitions
        candidates: list[Candidate] = []
        self._pending.sort(key=lambda item: item[0])  # calls looked up again go back in place
        for _, pending in self._pending:
            if isinstance(pending, Candidate):
                candidates.append(pending)
            elif isinstance(pending, _PendingCall):
                shape = pending.shape
                if alias_candidates(shape, module_names):
                    shape, _ = substitute(shape, pending.aliases)
                candidates.append(Candidate(pending.span, shape=shape))
            else:
                attribute = waffle_mixin_attribute(pending.bases, summary)
                candidates.extend(
                    Candidate(span, mixin=(attribute, value))
                    for span, name, value in pending.assigns
                    if attribute and name == attribute
                )
        return FileFacts(path, shown, root, summary, candidates, self.helper_spans)


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
