"""What a module binds (imports, constants, Enum members) and a lazy index over the project's modules.

This is our own import map: it tells us that ``ld`` in ``import ldclient as ld`` is the LaunchDarkly
SDK and that ``Flags.NEW_CHECKOUT`` in another module is the string ``"new_checkout"``, without
importing or running any user code.
"""

from __future__ import annotations

import ast
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

from .ast_shapes import to_expr
from .newer_syntax import parse_python
from .shapes import Dotted, Expr, Str
from .spans import Span
from .tree_walk import levels

_MAX_HOPS = 8  # re-export chains longer than this are treated as unresolvable (and cycles end)


@functools.lru_cache(maxsize=4096)
def _package_of(directory: str) -> tuple[tuple[str, ...], str]:
    """(package parts, import root) of a directory, walking up while there is an __init__.py."""
    if os.path.isfile(os.path.join(directory, "__init__.py")):
        parent = os.path.dirname(directory)
        if parent != directory:
            parts, root = _package_of(parent)
            return (*parts, os.path.basename(directory)), root
    return (), directory


def module_name_for(path: Path) -> tuple[str, Path]:
    """The dotted module name of a file and the import root it lives under (the package's parent)."""
    absolute = os.path.abspath(path)
    directory, filename = os.path.split(absolute)
    parts, root = _package_of(directory)
    if filename != "__init__.py":
        parts = (*parts, filename[:-3] if filename.endswith(".py") else filename)
    return ".".join(parts) or os.path.basename(directory), Path(root)


@dataclass
class ModuleSummary:
    name: str
    is_package: bool = False
    path: Path | None = None  # the file it was read from
    imports: dict[str, str] = field(default_factory=dict)  # local name -> qualified name
    definitions: set[str] = field(default_factory=set)  # module-level names defined here
    constants: dict[str, str] = field(default_factory=dict)  # NAME = "literal"
    classes: dict[str, dict[str, str]] = field(default_factory=dict)  # class -> member -> literal
    parameters: dict[str, list[str]] = field(default_factory=dict)  # function -> positional parameters
    # Set by the scan: the top-level statements of the bytes it parsed (sha256 ``digest``), so a
    # removal of the same bytes need not parse the file again.
    statements: list[Span] = field(default_factory=list)
    digest: str = ""

    def qualify(self, parts: tuple[str, ...]) -> str | None:
        """The qualified name a dotted expression refers to, or None for locals and unknowns."""
        head, rest = parts[0], parts[1:]
        if head in self.imports:
            return ".".join((self.imports[head], *rest))
        if head in self.definitions:
            return ".".join((self.name, head, *rest))
        return None

    def imported_roots(self) -> set[str]:
        return {target.split(".")[0] for target in self.imports.values()}

    def _absolute(self, module: str | None, level: int) -> str:
        if level == 0:
            return module or ""
        package = self.name.split(".") if self.is_package else self.name.split(".")[:-1]
        base = package[: len(package) - (level - 1)] if level > 1 else package
        return ".".join([*base, module] if module else base)


def _string_value(node: ast.expr, class_is_str_enum: bool, member: str) -> str | None:
    expr = to_expr(node)
    if isinstance(expr, Str):
        return expr.value
    # StrEnum members declared with auto() take their lower-cased name as value.
    if (
        class_is_str_enum
        and isinstance(node, ast.Call)
        and to_expr(node.func)
        in (
            Dotted(("auto",)),
            Dotted(("enum", "auto")),
        )
    ):
        return member.lower()
    return None


def _class_members(node: ast.ClassDef) -> dict[str, str]:
    base_names = {ast.unparse(base).split(".")[-1] for base in node.bases}
    is_str_enum = "StrEnum" in base_names
    members: dict[str, str] = {}
    for statement in node.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if isinstance(target, ast.Name):
            text = _string_value(value, is_str_enum, target.id)
            if text is not None:
                members[target.id] = text
    return members


_CANDIDATES = (ast.Call, ast.Subscript, ast.ClassDef)


def summarize(
    tree: ast.Module,
    name: str,
    is_package: bool,
    candidates: list[ast.AST] | None = None,
    imports_at: list[tuple[int, str, str]] | None = None,
) -> ModuleSummary:
    """What the module binds. ``candidates`` (if given) also receives every call, subscript and
    class, so the reference finder needs no second walk over the tree; ``imports_at`` every
    import binding as (depth, local name, qualified name), so a module summarised in chunks can
    let the same binding win as in one walk over it."""
    summary = ModuleSummary(name=name, is_package=is_package)
    bindings: list[tuple[int, str, str]] = [] if imports_at is None else imports_at
    # Imports anywhere in the file count: function-local imports of flag SDKs are common.
    for depth, level in levels(tree):
        for node in level:
            if isinstance(node, _CANDIDATES):
                if candidates is not None:
                    candidates.append(node)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    root = alias.name.split(".")[0]
                    bindings.append((depth, alias.asname or root, alias.name if alias.asname else root))
            elif isinstance(node, ast.ImportFrom):
                module = summary._absolute(node.module, node.level)
                for alias in node.names:
                    if alias.name != "*":
                        qualified = f"{module}.{alias.name}" if module else alias.name
                        bindings.append((depth, alias.asname or alias.name, qualified))
    for _, local, qualified in bindings:
        summary.imports[local] = qualified
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            summary.definitions.add(statement.name)
            arguments = statement.args
            summary.parameters[statement.name] = [
                arg.arg for arg in (*arguments.posonlyargs, *arguments.args)
            ]
        elif isinstance(statement, ast.ClassDef):
            summary.definitions.add(statement.name)
            summary.classes[statement.name] = _class_members(statement)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    summary.definitions.add(target.id)
                    if statement.value is not None:
                        value = to_expr(statement.value)
                        if isinstance(value, Str):
                            summary.constants[target.id] = value.value
    return summary


class ProjectIndex:
    """Module summaries by name, loaded lazily from the import roots seen so far."""

    def __init__(self) -> None:
        self.roots: list[Path] = []
        self._summaries: dict[str, ModuleSummary | None] = {}

    def add_root(self, root: Path) -> None:
        root = root.resolve()
        if root not in self.roots:
            self.roots.append(root)

    def loaded(self) -> list[ModuleSummary]:
        """Every module summarised so far (scanned, or read to resolve a constant)."""
        return [summary for summary in self._summaries.values() if summary is not None]

    def add(self, summary: ModuleSummary) -> None:
        self._summaries[summary.name] = summary

    def names(self) -> list[str]:
        """Every module looked up so far (found or not), in the order first asked for."""
        return list(self._summaries)

    def module(self, name: str) -> ModuleSummary | None:
        if name not in self._summaries:
            self._summaries[name] = self._load(name)
        return self._summaries[name]

    def _load(self, name: str) -> ModuleSummary | None:
        relative = Path(*name.split("."))
        for root in self.roots:
            for candidate, is_package in (
                (root / relative.with_suffix(".py"), False),
                (root / relative / "__init__.py", True),
            ):
                if candidate.is_file():
                    try:
                        tree = parse_python(candidate.read_bytes(), filename=str(candidate))
                    except (SyntaxError, ValueError, OSError):
                        return None  # the scan reports unparsable files it was asked to scan
                    summary = summarize(tree, name, is_package)
                    summary.path = candidate
                    return summary
        return None

    def resolve_string(self, qualified: str, hops: int = 0) -> str | None:
        """The string literal a qualified name (constant, Enum member, re-export) stands for."""
        if hops > _MAX_HOPS:
            return None
        parts = qualified.split(".")
        if len(parts) > 1 and parts[-1] == "value":  # Flags.NEW.value
            found = self.resolve_string(".".join(parts[:-1]), hops + 1)
            if found is not None:
                return found
        for split in range(len(parts) - 1, 0, -1):
            summary = self.module(".".join(parts[:split]))
            if summary is None:
                continue
            attributes = parts[split:]
            if len(attributes) == 1:
                name = attributes[0]
                if name in summary.constants:
                    return summary.constants[name]
                if name in summary.imports:
                    return self.resolve_string(summary.imports[name], hops + 1)
            elif len(attributes) == 2:
                owner, member = attributes
                if owner in summary.classes and member in summary.classes[owner]:
                    return summary.classes[owner][member]
                if owner in summary.imports:
                    return self.resolve_string(f"{summary.imports[owner]}.{member}", hops + 1)
            return None
        return None

    def parameter_name(self, qualified_function: str, position: int) -> str | None:
        """The name of a project function's positional parameter, so ``f(name="x")`` is understood."""
        module, _, function = qualified_function.rpartition(".")
        summary = self.module(module) if module else None
        parameters = summary.parameters.get(function, []) if summary else []
        return parameters[position] if position < len(parameters) else None

    def key_value(self, expr: Expr | None, summary: ModuleSummary) -> str | None:
        """The flag key an argument evaluates to, when that is knowable without running code."""
        if isinstance(expr, Str):
            return expr.value
        if isinstance(expr, Dotted):
            parts = expr.parts
            if len(parts) == 1 and parts[0] in summary.constants:
                return summary.constants[parts[0]]
            qualified = summary.qualify(parts)
            if qualified is not None:
                return self.resolve_string(qualified)
        return None
