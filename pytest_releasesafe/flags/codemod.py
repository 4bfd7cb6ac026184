"""The libcst transformer that turns one flag into a constant and simplifies the code around it.

leave_* methods run bottom-up, so by the time an ``if`` is left its test has already become
``True``/``False`` and been folded through ``not``/``and``/``or``; the ``if`` then collapses.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from .aliases import Alias, aliases_in_code, bare_names, substitute
from .blocks import Decision, header_comment, rebuild_block, rebuild_module, suite_statements
from .config import FlagsConfig
from .cst_marks import BOOL_NAMES, NO_EXPRESSIONS, called_name, mark
from .cst_shapes import bool_constant, call_shape, is_pure, to_expr
from .matching import FlagCheck, match_call, match_registry_subscript, waffle_mixin_attribute
from .newer_syntax import parse_python
from .references import callable_names
from .summary import ModuleSummary, ProjectIndex
from .tree_walk import walk

_CONSTANT_KINDS = ("bool", "negated", "registry")


@dataclass(frozen=True)
class Note:
    """Something the removal left for a human, with where and why."""

    line: int
    message: str


def _bound_once_then_read(function_code: str, name: str) -> bool:
    """True when ``name`` is bound exactly once in the function (nested scopes included) and never
    read before that binding: then every read can be replaced by the bound value."""
    try:
        tree = parse_python(function_code)
    except SyntaxError:
        return False
    bindings: list[tuple[int, int]] = []
    reads: list[tuple[int, int]] = []
    for node in walk(tree):
        if isinstance(node, ast.Name) and node.id == name:
            (reads if isinstance(node.ctx, ast.Load) else bindings).append((node.lineno, node.col_offset))
        elif isinstance(node, ast.arg) and node.arg == name:
            return False
        elif isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return False
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return False
        elif isinstance(node, ast.ExceptHandler) and node.name == name:
            return False
        elif isinstance(node, (ast.Import, ast.ImportFrom)) and any(
            (alias.asname or alias.name.split(".")[0]) == name for alias in node.names
        ):
            return False
    return len(bindings) == 1 and all(read > bindings[0] for read in reads)


def _constant(value: bool, like: cst.BaseExpression | None = None) -> cst.Name:
    name = cst.Name("True" if value else "False")
    if like is not None and getattr(like, "lpar", None):
        name = name.with_changes(lpar=like.lpar, rpar=like.rpar)
    return name


def _keep_parens(result: cst.BaseExpression, original: cst.BaseExpression) -> cst.BaseExpression:
    """Carry the parentheses of the replaced expression onto its replacement (unless it has its own)."""
    if getattr(original, "lpar", None) and not getattr(result, "lpar", None):
        return result.with_changes(lpar=original.lpar, rpar=original.rpar)
    return result


def _without_trailing_comma(items: list, field: str = "comma") -> list:
    if items and isinstance(getattr(items[-1], field), cst.Comma):
        items[-1] = items[-1].with_changes(**{field: cst.MaybeSentinel.DEFAULT})
    return items


HTTP404 = "Http404"

_NAMES: dict[int, tuple[ModuleSummary, FlagsConfig, frozenset[str], set[str], frozenset[str]]] = {}


def _names(summary: ModuleSummary, config: FlagsConfig) -> tuple[frozenset[str], set[str], frozenset[str]]:
    """(names a check may be called by, names the module binds, names that make a subtree worth
    entering besides those calls): one remover per window of a large file would otherwise rebuild
    these sets from thousands of definitions each time."""
    cached = _NAMES.get(id(summary))
    if cached is None or cached[0] is not summary or cached[1] is not config:
        module_names = set(summary.constants) | set(summary.imports) | summary.definitions
        cached = (
            summary,
            config,
            callable_names(summary, config),
            module_names,
            _telling(module_names, config),
        )
        _NAMES.clear()  # one file at a time: keep only its summary alive
        _NAMES[id(summary)] = cached
    return cached[2], cached[3], cached[4]


def _telling(module_names: set[str], config: FlagsConfig) -> frozenset[str]:
    """True and False (the folds of ``not``/``and``/``if`` start from them); with registries, also
    every name the module binds: a registry lookup, dict or settings override is recognised by
    what its first name qualifies to, not by a call's name (see cst_marks.py)."""
    return BOOL_NAMES | module_names if config.registries else BOOL_NAMES


# Nodes with nothing below them that the remover reads or changes: those that hold no expression
# (whitespace, comments, operators, brackets, literals; cst_marks.py) and names. Most nodes of a
# module are of these kinds (whitespace alone is over a third); not visiting their children spares
# libcst rebuilding each as a copy of itself.
_LEAVES: frozenset[type] = NO_EXPRESSIONS | {cst.Name}

_HOOKS: dict[tuple[type, str, type], Callable[..., Any] | None] = {}


def _hook(visitor: type, prefix: str, kind: type) -> Callable[..., Any] | None:
    """``visitor``'s visit_/leave_ method for a node type, looked up once per type rather than by
    building its name for every node."""
    key = (visitor, prefix, kind)
    try:
        return _HOOKS[key]
    except KeyError:
        _HOOKS[key] = getattr(visitor, prefix + kind.__name__, None)
        return _HOOKS[key]


def _parameters(function: cst.FunctionDef) -> set[str]:
    """The names of the function's own parameters."""
    params = function.params
    names = {param.name.value for param in (*params.posonly_params, *params.params, *params.kwonly_params)}
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            names.add(star.name.value)
    return names


# Leave out the subtrees the remover cannot change (cst_marks.py); False: enter every node. Both
# give the same text: tests run them side by side.
SKIP_INERT = True


class FlagRemover(cst.CSTTransformer):
    def __init__(
        self,
        flag: str,
        value: bool,
        module: cst.Module,
        summary: ModuleSummary,
        index: ProjectIndex,
        config: FlagsConfig,
        starts: list[tuple[int, int]] | None = None,
        sources: dict[int, str] | None = None,
    ) -> None:
        super().__init__()
        # The source text of top-level statements, when the caller has it: cheaper than codegen.
        self._sources = sources or {}
        self.flag, self.value = flag, value
        # Positions are computed per top-level statement (``starts``: its first and last line),
        # not for the whole module: on a large file that alone costs more than the rewrite.
        self._tops: dict[int, tuple[cst.BaseStatement, int, int]] = (
            {
                id(statement): (statement, start, end)
                for statement, (start, end) in zip(module.body, starts, strict=True)
            }
            if starts is not None and len(starts) == len(module.body)
            else {}
        )
        self._current_top: tuple[cst.BaseStatement, int, int] | None = None
        self._handled_nodes: list[tuple[tuple[cst.BaseStatement, int, int] | None, cst.CSTNode]] = []
        self._top_positions: dict[int, object] = {}
        self._module = module
        self.summary, self.index, self.config = summary, index, config
        self.notes: list[Note] = []
        self.changed = False
        self.needs_http404 = False
        self._callable_names, self._module_names, telling = _names(summary, config)
        self._decisions: dict[int, Decision] = {}
        self._boolean_context: set[int] = set()
        self._elif_ids: set[int] = set()
        self._functions: list[cst.FunctionDef] = []
        self._doomed_functions: set[int] = set()
        self._dropped_small: set[int] = (
            set()
        )  # id of small statements to drop (followed variables, `assert True`)
        self._variables: dict[int, dict[str, bool]] = {}  # id(function) -> variable -> constant
        self._not_variables: set[int] = set()  # Name nodes that are attributes or keywords
        self._stores: set[int] = set()  # expressions assigned to or deleted, never replaced
        self._aliases: dict[int, dict[str, Alias]] = {}  # id(function) -> its local key aliases
        self._alias_uses: dict[int, dict[str, int]] = {}  # id(function) -> alias -> reads replaced
        self._last_aliases: set[str] = set()  # aliases the last matched check read
        self._rewrote_decorator = False  # a decorator was rewritten in place (override_settings)
        # Ids of the nodes worth entering (cst_marks.py); None: all of them.
        self._marked: set[int] | None = None
        self._bound: set[str] = set()  # names assigned a marked value: their reads are marked too
        if SKIP_INERT:
            self._marked = {id(module)}
            mark(module, self._callable_names, telling, self._marked, self._bound)

    # --- helpers ---------------------------------------------------------------------------

    # No visit_<Node>_<field> hooks here: skipping their per-field lookup is a fifth of a visit.
    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        pass

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        pass

    def on_visit(self, node: cst.CSTNode) -> bool:
        top = self._tops.get(id(node))
        if top is not None:
            self._current_top = top
        if self._marked is not None and id(node) not in self._marked:
            return False  # inert: on_leave gives it back as it is
        kind = type(node)
        if kind in _LEAVES:
            return False  # on_leave still runs; nothing below it can change
        hook = _hook(type(self), "visit_", kind)
        return hook is None or hook(self, node) is not False

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        if self._marked is not None and id(original_node) not in self._marked:
            return updated_node
        hook = _hook(type(self), "leave_", type(original_node))
        return updated_node if hook is None else hook(self, original_node, updated_node)

    def _line(self, node: cst.CSTNode, top: tuple[cst.BaseStatement, int, int] | None = None) -> int:
        top = top or self._current_top
        if top is None:
            key, root, first = 0, self._module, 1
        else:
            statement, start, _ = top
            # The statement alone, as a module: its leading comment lines come first.
            key, root, first = id(statement), None, start - len(statement.leading_lines)  # type: ignore[attr-defined]  # libcst declares it on concrete statements only
        if key not in self._top_positions:
            if root is None:
                assert top is not None  # root is left unset only for a top statement
                # libcst types Module.body narrower than the BaseStatement its suites hold.
                root = cst.Module(body=[top[0]])  # type: ignore[list-item]
            self._top_positions[key] = MetadataWrapper(root, unsafe_skip_copy=True).resolve(PositionProvider)
        return first + self._top_positions[key][node].start.line - 1  # type: ignore[index]

    def _code(self, function: cst.FunctionDef) -> str:
        """The function's code as it was read (``self._functions`` holds original nodes)."""
        code = self._sources.get(id(function))
        return code if code is not None else cst.Module([]).code_for_node(function)

    def _note(self, node: cst.CSTNode, message: str) -> None:
        self.notes.append(Note(self._line(node), message))

    def _handle(self, node: cst.CSTNode) -> None:
        """Record that the check at ``node`` was dealt with (so none is silently left live)."""
        self._handled_nodes.append((self._current_top, node))

    def handled_lines(self, expected: Iterable[int]) -> list[int]:
        """The lines of the checks dealt with. Positions cost more than the rewrite on a big file, so
        a statement that dealt with exactly as many checks as the scan found in it is taken to have
        dealt with those; only the others are located."""
        expected = sorted(expected)
        by_top: dict[int, tuple[tuple[cst.BaseStatement, int, int] | None, list[cst.CSTNode]]] = {}
        for top, node in self._handled_nodes:
            by_top.setdefault(id(top[0]) if top else 0, (top, []))[1].append(node)
        lines: list[int] = []
        for top, nodes in by_top.values():
            if top is not None:
                inside = [line for line in expected if top[1] <= line <= top[2]]
                if len(inside) == len(nodes):
                    lines.extend(inside)
                    continue
            lines.extend(self._line(node, top) for node in nodes)
        return lines

    def _handle_same_line(self, original: cst.ClassDef, statement: cst.BaseStatement) -> None:
        """``statement`` is of the updated class body; positions are known for the original's."""
        updated_body = list(original.body.body) if isinstance(original.body, cst.IndentedBlock) else []
        for candidate in updated_body:
            if candidate.deep_equals(statement):
                self._handle(candidate)
                return

    def _function_aliases(self) -> dict[str, Alias]:
        if not self._functions:
            return {}
        function = self._functions[-1]
        if id(function) not in self._aliases:
            self._aliases[id(function)] = aliases_in_code(self._code(function))
        return self._aliases[id(function)]

    def _count_alias_reads(self) -> None:
        """The check just replaced read these aliases: one read fewer each keeps them alive."""
        if self._last_aliases and self._functions:
            uses = self._alias_uses.setdefault(id(self._functions[-1]), {})
            for name in self._last_aliases:
                uses[name] = uses.get(name, 0) + 1

    def _check(self, call: cst.Call) -> FlagCheck | None:
        if called_name(call) not in self._callable_names:  # as cst_marks judges it
            return None
        shape = call_shape(call)
        used: set[str] = set()
        if self._functions and bare_names(shape, self._module_names) - _parameters(self._functions[-1]):
            # A parameter of the function is bound twice for local_aliases (never an alias):
            # only another bare name is worth reading the function's aliases for.
            shape, used = substitute(shape, self._function_aliases())
        check = match_call(shape, self.summary, self.index, self.config)
        if check is None or check.key != self.flag:
            return None
        self._last_aliases = used
        return check

    def _passes(self, check: FlagCheck) -> bool:
        """What the check evaluates to once the flag is fixed at ``self.value``."""
        state = self.value != check.negated
        return not state if check.kind == "negated" else state

    def _decide(self, node: cst.BaseStatement, decision: Decision) -> cst.BaseStatement:
        self._decisions[id(node)] = decision
        self.changed = True
        return node

    # --- variables holding a check's result ---------------------------------------------------

    def _consider_variable(
        self,
        original: cst.Assign | cst.AnnAssign,
        target: cst.BaseExpression,
        before: cst.BaseExpression | None,
        after: cst.BaseExpression | None,
    ) -> None:
        """``enabled = <check>`` (or ``not <check>``...) inside a function: now that the value is a
        constant, remember to put that constant where ``enabled`` is read."""
        constant = bool_constant(after) if after is not None else None
        if constant is None or before is None or bool_constant(before) is not None:
            return  # not a flag-derived constant (a literal True was there already)
        if not (isinstance(target, cst.Name) and self._functions):
            return
        function = self._functions[-1]
        if _bound_once_then_read(self._code(function), target.value):
            self._variables.setdefault(id(function), {})[target.value] = constant
            self._dropped_small.add(id(original))
            if self._marked is not None and target.value not in self._bound:
                # Not seen as bound to a marked value (cst_marks): its reads are marked now.
                mark(function, frozenset(), frozenset({target.value}), self._marked)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._stores.add(id(node.target))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._stores.add(id(node.target))

    def visit_Del(self, node: cst.Del) -> None:
        self._stores.add(id(node.target))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._not_variables.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._not_variables.add(id(node.keyword))

    # --- expressions ----------------------------------------------------------------------------

    def visit_If(self, node: cst.If) -> None:
        self._boolean_context.add(id(node.test))
        if isinstance(node.orelse, cst.If):
            self._elif_ids.add(id(node.orelse))

    def visit_While(self, node: cst.While) -> None:
        self._boolean_context.add(id(node.test))

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._boolean_context.add(id(node.test))

    def visit_Assert(self, node: cst.Assert) -> None:
        self._boolean_context.add(id(node.test))

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
        if isinstance(node.operator, cst.Not):
            self._boolean_context.add(id(node.expression))

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        if id(node) in self._boolean_context:
            self._boolean_context.update((id(node.left), id(node.right)))

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        check = self._check(original_node)
        if check is None or check.kind in ("decorator", "override"):
            return updated_node
        if check.kind == "value":
            self._handle(original_node)
            self._note(
                original_node,
                f"`{check.call}` returns a variant or value, not on/off: replace it by hand with what "
                f"'{self.flag}' now always returns.",
            )
            return updated_node
        if check.impure_arguments:
            self._handle(original_node)
            self._note(
                original_node,
                f"`{check.call}` has arguments that may have side effects; removing the check would skip "
                "them. Left in place: move the side effect out, then run the removal again.",
            )
            return updated_node
        self.changed = True
        self._handle(original_node)
        self._count_alias_reads()
        return _constant(self._passes(check), updated_node)

    def leave_Subscript(
        self, original_node: cst.Subscript, updated_node: cst.Subscript
    ) -> cst.BaseExpression:
        if not self.config.registries or id(original_node) in self._stores:
            return updated_node
        if not self._settings_item(original_node):
            return updated_node
        self.changed = True
        self._handle(original_node)
        return _constant(self.value, updated_node)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        if not self._variables or id(original_node) in self._not_variables:
            return updated_node
        constant = next(
            (
                self._variables[id(function)][original_node.value]
                for function in reversed(self._functions)
                if original_node.value in self._variables.get(id(function), {})
            ),
            None,
        )
        if constant is None:
            return updated_node
        self.changed = True
        return _constant(constant, updated_node)

    def leave_UnaryOperation(
        self, original_node: cst.UnaryOperation, updated_node: cst.UnaryOperation
    ) -> cst.BaseExpression:
        operand = bool_constant(updated_node.expression)
        if isinstance(updated_node.operator, cst.Not) and operand is not None:
            return _constant(not operand, updated_node)
        return updated_node

    def leave_Comparison(
        self, original_node: cst.Comparison, updated_node: cst.Comparison
    ) -> cst.BaseExpression:
        """``is_on("f") == True`` (or ``!=``, ``is``, ``is not``, against True/False) once the check
        is a constant: the comparison itself is a constant too."""
        if len(updated_node.comparisons) != 1:
            return updated_node
        target = updated_node.comparisons[0]
        left, right = bool_constant(updated_node.left), bool_constant(target.comparator)
        was_constant = (
            bool_constant(original_node.left) is not None,
            bool_constant(original_node.comparisons[0].comparator) is not None,
        )
        if left is None or right is None or all(was_constant):
            return updated_node  # not ours to fold: the comparison was not made of a flag check
        if isinstance(target.operator, (cst.Equal, cst.Is)):
            return _keep_parens(_constant(left == right), updated_node)
        if isinstance(target.operator, (cst.NotEqual, cst.IsNot)):
            return _keep_parens(_constant(left != right), updated_node)
        return updated_node

    def leave_BooleanOperation(
        self, original_node: cst.BooleanOperation, updated_node: cst.BooleanOperation
    ) -> cst.BaseExpression:
        left, right = bool_constant(updated_node.left), bool_constant(updated_node.right)
        is_and = isinstance(updated_node.operator, cst.And)
        in_test = id(original_node) in self._boolean_context
        result: cst.BaseExpression | None = None
        if left is not None:
            # `True and x` is x and `False and x` is False, in any context (x is not evaluated).
            result = updated_node.right if left == is_and else _constant(left)
        elif right is not None and in_test:
            # Only where just truthiness matters: `x and True` is x as a condition, not as a value.
            if right == is_and:
                result = updated_node.left
            elif is_pure(updated_node.left):
                result = _constant(right)
        return updated_node if result is None else _keep_parens(result, updated_node)

    def leave_Await(self, original_node: cst.Await, updated_node: cst.Await) -> cst.BaseExpression:
        """``await is_enabled_async("f")``: the awaited check became a constant, so the await goes."""
        constant = bool_constant(updated_node.expression)
        if constant is not None and bool_constant(original_node.expression) is None:
            return _constant(constant, updated_node)
        return updated_node

    def leave_Assert(self, original_node: cst.Assert, updated_node: cst.Assert) -> cst.Assert:
        if bool_constant(updated_node.test) is True and bool_constant(original_node.test) is None:
            self._dropped_small.add(id(original_node))  # it can no longer fail
        return updated_node

    def leave_CompFor(self, original_node: cst.CompFor, updated_node: cst.CompFor) -> cst.CompFor:
        """``[x for x in xs if True]``: the condition filters nothing and goes."""
        ifs = [condition for condition in updated_node.ifs if bool_constant(condition.test) is not True]
        if len(ifs) == len(updated_node.ifs):
            return updated_node
        return updated_node.with_changes(ifs=ifs)

    def leave_IfExp(self, original_node: cst.IfExp, updated_node: cst.IfExp) -> cst.BaseExpression:
        test = bool_constant(updated_node.test)
        if test is None:
            return updated_node
        return _keep_parens(updated_node.body if test else updated_node.orelse, updated_node)

    # --- statements -------------------------------------------------------------------------

    def leave_If(self, original_node: cst.If, updated_node: cst.If) -> cst.BaseStatement:
        if id(original_node) in self._elif_ids:
            return updated_node  # the head of the chain rewrites the whole chain
        branches: list[cst.If] = []
        final_else: cst.Else | None = None
        node: cst.If = updated_node
        while True:
            branches.append(node)
            if isinstance(node.orelse, cst.If):
                node = node.orelse
            else:
                final_else = node.orelse
                break
        if all(bool_constant(branch.test) is None for branch in branches):
            return updated_node
        kept: list[cst.If] = []
        new_else = final_else
        for branch in branches:
            test = bool_constant(branch.test)
            if test is False:
                continue
            if test is True:
                # This branch always runs when reached: it becomes the chain's `else`.
                new_else = cst.Else(
                    body=branch.body,
                    leading_lines=branch.leading_lines if kept else (),
                    whitespace_before_colon=branch.whitespace_after_test,
                )
                break
            kept.append(branch)
        if not kept:
            if new_else is None:
                return self._decide(updated_node, Decision([]))
            comments = [*new_else.leading_lines, *header_comment(new_else.body)]
            return self._decide(updated_node, Decision(suite_statements(new_else.body), comments))
        orelse: cst.If | cst.Else | None = new_else
        for branch in reversed(kept[1:]):
            orelse = branch.with_changes(orelse=orelse)
        head = kept[0].with_changes(orelse=orelse, leading_lines=updated_node.leading_lines)
        self.changed = True
        return head

    def leave_While(self, original_node: cst.While, updated_node: cst.While) -> cst.BaseStatement:
        if bool_constant(updated_node.test) is False:
            return self._decide(
                updated_node,
                Decision(suite_statements(updated_node.orelse.body) if updated_node.orelse else []),
            )
        return updated_node

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.BaseSuite:
        return rebuild_block(updated_node, self._decisions)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement:
        drop = [id(statement) in self._dropped_small for statement in original_node.body]
        if not any(drop):
            return updated_node
        kept = [statement for statement, gone in zip(updated_node.body, drop, strict=True) if not gone]
        if not kept:
            return self._decide(updated_node, Decision([]))
        kept[-1] = kept[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        self.changed = True
        return updated_node.with_changes(body=kept)

    # --- tests that set the flag: toggle helpers, settings ------------------------------------------

    def _set_in_test(self, node: cst.CSTNode, active: bool | None, what: str) -> None:
        """A statement that sets the flag for a test: it goes when it sets the kept variant; the
        test goes when it sets the removed one."""
        self._handle(node)
        if active is None:
            self._note(node, f"`{what}` without a literal True/False: adjust this test by hand.")
            return
        function = self._functions[-1] if self._functions else None
        if active == self.value:
            self._dropped_small.add(id(node))
            self.changed = True
        elif function is not None and function.name.value.startswith("test"):
            self._doomed_functions.add(id(function))
            self.changed = True
        else:
            self._note(node, f"`{what}` sets '{self.flag}' to the variant that is removed: adjust by hand.")

    def leave_Expr(self, original_node: cst.Expr, updated_node: cst.Expr) -> cst.Expr:
        """``toggle_switch("f", True)`` or ``override_flag("f", True)`` as a statement."""
        if isinstance(original_node.value, cst.Call):
            check = self._check(original_node.value)
            if check is not None and check.kind == "override":
                self._set_in_test(original_node, check.active, check.call)
        return updated_node

    def _settings_item(self, target: cst.BaseExpression) -> bool:
        """Is ``target`` ``REGISTRY["f"]`` (``settings.FEATURES["f"]``...) for a configured registry and
        this flag?"""
        if not (isinstance(target, cst.Subscript) and len(target.slice) == 1):
            return False
        index = target.slice[0].slice
        if not isinstance(index, cst.Index):
            return False
        check = match_registry_subscript(
            to_expr(target.value), to_expr(index.value), self.summary, self.index, self.config
        )
        return check is not None and check.key == self.flag

    def _settings_override(self, call: cst.Call) -> tuple[bool | None, cst.Call | None] | None:
        """``override_settings(FEATURES={"f": True, ...})``: (the flag's value there, the call without
        it, or None when nothing is left of the call); None when the call does not set the flag."""
        func = to_expr(call.func)
        qualified = self.summary.qualify(func.parts) if hasattr(func, "parts") else None
        if qualified not in ("django.test.override_settings", "django.test.utils.override_settings"):
            return None
        for position, arg in enumerate(call.args):
            if (
                arg.keyword is None
                or f"django.conf.settings.{arg.keyword.value}" not in self.config.registries
                or not isinstance(arg.value, cst.Dict)
            ):
                continue
            elements = list(arg.value.elements)
            for element in elements:
                if (
                    isinstance(element, cst.DictElement)
                    and self.index.key_value(to_expr(element.key), self.summary) == self.flag
                ):
                    active = bool_constant(element.value)
                    kept = _without_trailing_comma([other for other in elements if other is not element])
                    args = list(call.args)
                    if kept:
                        args[position] = arg.with_changes(value=arg.value.with_changes(elements=kept))
                    else:
                        del args[position]
                    if not args:
                        return active, None
                    return active, call.with_changes(args=_without_trailing_comma(args))
        return None

    # --- waffle: decorators, test overrides, mixins ------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.append(node)

    def _decorators(
        self, original: cst.FunctionDef | cst.ClassDef, updated: cst.FunctionDef | cst.ClassDef
    ) -> tuple[list[cst.Decorator], bool, bool]:
        """(decorators to keep, whether the view must 404, whether the definition must go)."""
        kept: list[cst.Decorator] = []
        must_404 = doomed = False
        for before, after in zip(original.decorators, updated.decorators, strict=True):
            settings = (
                self._settings_override(before.decorator) if isinstance(before.decorator, cst.Call) else None
            )
            if settings is not None:
                active, call = settings
                self._handle(before.decorator)
                if active is None:
                    self._note(
                        before, "`override_settings` without a literal True/False: adjust this test by hand."
                    )
                    kept.append(after)
                elif active != self.value:
                    doomed = True
                else:
                    self._rewrote_decorator = True
                    if call is not None:
                        kept.append(after.with_changes(decorator=call))
                continue
            check = self._check(before.decorator) if isinstance(before.decorator, cst.Call) else None
            if check is None or check.kind not in ("decorator", "override"):
                kept.append(after)
                continue
            assert isinstance(before.decorator, cst.Call)  # check is None for anything else
            self._handle(before.decorator)
            if check.kind == "decorator":
                if not self._passes(check) and len(before.decorator.args) > 1:
                    # waffle_flag("f", "/elsewhere") redirects rather than 404s: a human decides.
                    self._note(before, f"`{check.call}` with a redirect: replace the view by hand.")
                    kept.append(after)
                    continue
                must_404 = must_404 or not self._passes(check)
            elif check.active is None:
                self._note(
                    before, f"`{check.call}` without a literal active=True/False: adjust this test by hand."
                )
                kept.append(after)
                continue
            elif check.active != self.value:
                doomed = True  # the test exercises the variant that no longer exists
        return kept, must_404, doomed

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.BaseStatement:
        self._functions.pop()
        uses = self._alias_uses.pop(id(original_node), {})
        aliases = self._aliases.get(id(original_node), {})
        unread = {name for name, count in uses.items() if count == aliases[name].reads}
        if unread:
            # `name = FLAG` held the key only for checks that are gone: the binding goes too.
            # _DropBindings removes statements inside the function, never the function itself.
            updated_node = cast(cst.FunctionDef, updated_node.visit(_DropBindings(unread)))
        if id(original_node) in self._doomed_functions:
            return self._decide(updated_node, Decision([], keep_comments=False))
        if not original_node.decorators:
            return updated_node
        self._rewrote_decorator = False
        kept, must_404, doomed = self._decorators(original_node, updated_node)
        if doomed:
            return self._decide(updated_node, Decision([], keep_comments=False))
        if len(kept) == len(updated_node.decorators) and not self._rewrote_decorator:
            return updated_node
        self.changed = True
        updated_node = updated_node.with_changes(decorators=kept)
        if must_404:
            updated_node = self._raise_404(updated_node)
        return updated_node

    def _raise_404(self, function: cst.FunctionDef) -> cst.FunctionDef:
        """The view's body becomes `raise Http404` (its docstring stays)."""
        self.needs_http404 = True
        body = suite_statements(function.body)
        docstring = body[:1] if function.get_docstring() is not None else []
        raise_line = cst.SimpleStatementLine(body=[cst.Raise(exc=cst.Call(func=cst.Name(HTTP404)))])
        block = function.body if isinstance(function.body, cst.IndentedBlock) else cst.IndentedBlock(body=[])
        return function.with_changes(body=block.with_changes(body=[*docstring, raise_line]))

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.BaseStatement:
        if original_node.decorators:
            self._rewrote_decorator = False
            kept, _, doomed = self._decorators(original_node, updated_node)
            if doomed:
                return self._decide(updated_node, Decision([], keep_comments=False))
            if len(kept) != len(updated_node.decorators) or self._rewrote_decorator:
                self.changed = True
                updated_node = updated_node.with_changes(decorators=kept)
        return self._mixin(original_node, updated_node)

    def _mixin(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        attribute = waffle_mixin_attribute([to_expr(arg.value) for arg in original.bases], self.summary)
        if attribute is None or not isinstance(updated.body, cst.IndentedBlock):
            return updated
        negated: bool | None = None
        body = list(updated.body.body)
        for statement in body:
            if (
                isinstance(statement, cst.SimpleStatementLine)
                and len(statement.body) == 1
                and isinstance(statement.body[0], cst.Assign)
                and len(statement.body[0].targets) == 1
                and isinstance(statement.body[0].targets[0].target, cst.Name)
                and statement.body[0].targets[0].target.value == attribute
            ):
                key = self.index.key_value(to_expr(statement.body[0].value), self.summary)
                if key is not None and key.lstrip("!") == self.flag:
                    self._handle_same_line(original, statement)
                    negated = key.startswith("!")
                    self._decisions[id(statement)] = Decision([])
                    break
        if negated is None:
            return updated
        self.changed = True
        new_block = rebuild_block(updated.body, self._decisions)
        bases = [
            arg
            for arg in updated.bases
            if waffle_mixin_attribute([to_expr(arg.value)], self.summary) != attribute
        ]
        result = updated.with_changes(bases=_without_trailing_comma(bases), body=new_block)
        if not bases and not updated.keywords:
            result = result.with_changes(lpar=cst.MaybeSentinel.DEFAULT, rpar=cst.MaybeSentinel.DEFAULT)
        if self.value == negated:  # the mixin would now always refuse: the view is gone
            self.needs_http404 = True
            dispatch = cst.parse_statement(
                f"def dispatch(self, request, *args, **kwargs):\n    raise {HTTP404}()\n"
            ).with_changes(leading_lines=[cst.EmptyLine(indent=False)])
            result = result.with_changes(body=result.body.with_changes(body=[*result.body.body, dispatch]))
        return result

    def leave_With(self, original_node: cst.With, updated_node: cst.With) -> cst.BaseStatement:
        kept: list[cst.WithItem] = []
        matched = False
        for before, after in zip(original_node.items, updated_node.items, strict=True):
            check = self._check(before.item) if isinstance(before.item, cst.Call) else None
            if check is None or check.kind != "override":
                kept.append(after)
                continue
            self._handle(before.item)
            if check.active is None:
                self._note(
                    before, f"`{check.call}` without a literal active=True/False: adjust this test by hand."
                )
                kept.append(after)
                continue
            matched = True
            if check.active != self.value:
                function = self._functions[-1] if self._functions else None
                if function is not None and function.name.value.startswith("test"):
                    self._doomed_functions.add(id(function))
                    return updated_node
                return self._decide(updated_node, Decision([]))
        if not matched:
            return updated_node
        if not kept:
            return self._decide(
                updated_node, Decision(suite_statements(updated_node.body), header_comment(updated_node.body))
            )
        self.changed = True
        return updated_node.with_changes(items=_without_trailing_comma(kept))

    # --- module ------------------------------------------------------------------------------

    def leave_AnnAssign(self, original_node: cst.AnnAssign, updated_node: cst.AnnAssign) -> cst.AnnAssign:
        self._consider_variable(original_node, original_node.target, original_node.value, updated_node.value)
        return updated_node

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        """Follow a flag-derived variable; drop the flag from a registry's dict definition."""
        if len(original_node.targets) == 1:
            target = original_node.targets[0].target
            in_test = bool(self._functions) and self._functions[-1].name.value.startswith("test")
            if in_test and self.config.registries and self._settings_item(target):
                # settings.FEATURES["f"] = False in a test
                self._set_in_test(original_node, bool_constant(original_node.value), "settings")
                return updated_node
            self._consider_variable(original_node, target, original_node.value, updated_node.value)
        if (
            len(original_node.targets) != 1
            or not isinstance(original_node.targets[0].target, cst.Name)
            or not isinstance(updated_node.value, cst.Dict)
            or f"{self.summary.name}.{original_node.targets[0].target.value}" not in self.config.registries
        ):
            return updated_node
        elements = list(updated_node.value.elements)
        kept = [
            element
            for element in elements
            if not (
                isinstance(element, cst.DictElement)
                and self.index.key_value(to_expr(element.key), self.summary) == self.flag
            )
        ]
        if len(kept) == len(elements):
            return updated_node
        if kept and kept[-1] is not elements[-1]:
            kept[-1] = kept[-1].with_changes(comma=elements[-1].comma)
        self.changed = True
        return updated_node.with_changes(value=updated_node.value.with_changes(elements=kept))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        module = rebuild_module(updated_node, self._decisions)
        if self.needs_http404 and HTTP404 not in self.summary.imports:
            module = _add_import(module, "django.http", HTTP404)
        return module


class _DropBindings(cst.CSTTransformer):
    """Drops the statements ``name = value`` binding the given (now unread) names."""

    def __init__(self, names: set[str]) -> None:
        super().__init__()
        self.names = names
        self.decisions: dict[int, Decision] = {}

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        if len(updated_node.body) == 1:
            small = updated_node.body[0]
            target = (
                small.targets[0].target
                if isinstance(small, cst.Assign) and len(small.targets) == 1
                else small.target
                if isinstance(small, cst.AnnAssign)
                else None
            )
            if isinstance(target, cst.Name) and target.value in self.names:
                self.decisions[id(updated_node)] = Decision([])
        return updated_node

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.BaseSuite:
        return rebuild_block(updated_node, self.decisions)


def _add_import(module: cst.Module, package: str, name: str) -> cst.Module:
    """Import ``name`` from ``package``: into an existing top-level ``from package import``, or on a
    new line after the module's last top-level import (or its docstring)."""
    body = list(module.body)
    position = 0
    for index, statement in enumerate(body):
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if (
                isinstance(small, cst.ImportFrom)
                and small.relative == ()
                and small.module is not None
                and cst.Module([]).code_for_node(small.module) == package
                and not isinstance(small.names, cst.ImportStar)
            ):
                names = [*small.names, cst.ImportAlias(name=cst.Name(name))]
                names.sort(key=lambda alias: cst.Module([]).code_for_node(alias.name))
                names = [alias.with_changes(comma=cst.MaybeSentinel.DEFAULT) for alias in names]
                merged = small.with_changes(names=names, lpar=None, rpar=None)
                body[index] = statement.with_changes(
                    body=[merged if other is small else other for other in statement.body]
                )
                return module.with_changes(body=body)
            if isinstance(small, (cst.Import, cst.ImportFrom)):
                position = index + 1
    if position == 0 and module.get_docstring() is not None:
        position = 1
    body.insert(position, cst.parse_statement(f"from {package} import {name}\n"))
    return module.with_changes(body=body)
