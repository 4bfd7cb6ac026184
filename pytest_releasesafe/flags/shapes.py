"""A parser-neutral picture of a call, so one set of matching rules serves `ast` and libcst alike.

Only what matching needs survives: dotted names, string literals, constants, what a call calls,
and whether an argument could have side effects when evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Str:
    value: str
    pure: bool = True


@dataclass(frozen=True)
class Const:
    """True, False, None or a number."""

    value: object
    pure: bool = True


@dataclass(frozen=True)
class Dotted:
    """``name`` or ``name.attr.attr``: a chain of plain names."""

    parts: tuple[str, ...]
    pure: bool = True


@dataclass(frozen=True)
class CallOf:
    """The result of calling ``func``: never pure, evaluating it runs code."""

    func: Expr
    pure: bool = False


@dataclass(frozen=True)
class Method:
    """``<receiver>.name`` where the receiver is not a plain dotted name (e.g. a call result)."""

    receiver: Expr
    name: str
    pure: bool = True


@dataclass(frozen=True)
class Opaque:
    """Anything else; ``pure`` is False when it contains a call, await, yield or walrus."""

    pure: bool


Expr = Str | Const | Dotted | CallOf | Method | Opaque


@dataclass(frozen=True)
class CallShape:
    func: Expr
    args: tuple[Expr, ...]
    keywords: tuple[tuple[str, Expr], ...]
    has_star_args: bool = False

    def argument(self, position: int | None, keywords: tuple[str, ...]) -> Expr | None:
        for keyword, value in self.keywords:
            if keyword in keywords:
                return value
        if position is not None and position < len(self.args):
            return self.args[position]
        return None


def provenance_root(expr: Expr) -> tuple[str, ...] | None:
    """The dotted name a receiver chain starts from: ``ldclient.get().x`` -> ``("ldclient", "get")``."""
    while True:
        if isinstance(expr, Dotted):
            return expr.parts
        if isinstance(expr, CallOf):
            expr = expr.func
        elif isinstance(expr, Method):
            expr = expr.receiver
        else:
            return None
