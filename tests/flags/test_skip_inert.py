"""The remover leaves out the subtrees it cannot change (cst_marks.py) and gives the same text as
when it enters every node.

Each module below is written to disk and the flag removed from fresh copies twice: once skipping
inert subtrees, once entering every node (codemod.SKIP_INERT). Text, notes and errors must be the
same; the modules put next to the checks what a skipped subtree could hide: literal True/False
that the folds take up, reads of a variable that held a check's result (nested functions too),
classes (waffle mixins), local aliases of the key, registry lookups and settings overrides.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst as cst
import pytest

from pytest_releasesafe.flags import codemod
from pytest_releasesafe.flags.cst_marks import BOOL_NAMES, mark

from .conftest import run_removal, write_project
from .test_remove_shapes import remove

PLAIN = """\
[tool.releasesafe.flags]
checks = ["app.flags:is_on"]
"""

REGISTRIES = """\
[tool.releasesafe.flags]
checks = ["app.flags:is_on"]
registries = ["app.flags:FLAGS", "django.conf:settings.FEATURES"]
"""

CONSTANTS = '''\
"""Literal constants next to the checks: the folds take them up in the statements rewritten."""

from app.flags import is_on


def untouched(x):
    return not True if x else (x and False)


def pre_existing(items):
    if is_on("new_flow"):
        label = "new"
    else:
        label = "old"
    if True:
        flag = not False
    kept = [item for item in items if True]
    while False:
        kept.append(None)
    return label if True else flag, kept


def in_a_loop(items):
    for item in items:
        try:
            if item and is_on("new_flow"):
                continue
        except ValueError:
            pass
        else:
            print(item, True and item)
    return [value for value in items if is_on("new_flow") or value]
'''

FOLLOWED = """\
from app.flags import is_on


def followed(user, items):
    enabled = is_on("new_flow")

    def inner():
        return enabled and user

    total = 0
    for item in items:
        if enabled:
            total += item
        else:
            total -= item
    return inner, total, (lambda: not enabled)


async def waits(client):
    active: bool = is_on("new_flow")
    result = await client.get()
    if not active:
        return None
    return {"result": result, "active": active}


def shadowed(enabled):
    if is_on("new_flow"):
        return enabled
    return None
"""

CLASSES = '''\
from waffle.mixins import WaffleFlagMixin

from app.flags import is_on

NAME = "new_flow"


class NewView(WaffleFlagMixin, object):
    waffle_flag = NAME

    def get(self, request):
        return "new"


class Service:
    """A service."""

    limit = 3

    def run(self, cart):
        name = "new_flow"
        if is_on(name, cart):
            return self.limit
        return 0

    @staticmethod
    def plain(cart):
        return [item for item in cart if item]


def format_total(cart, context):
    return f"{sum(cart)} {is_on('new_flow', context)}"
'''

REGISTRY_USE = """\
from django.conf import settings
from django.test import override_settings

from app import flags
from app.flags import FLAGS, is_on


def reads_registry():
    return FLAGS["new_flow"] and flags.FLAGS.get("other")


def reads_settings(x):
    if is_on("new_flow"):
        return x
    if settings.FEATURES["new_flow"]:
        return -x
    return 0


@override_settings(FEATURES={"new_flow": True, "other": False})
def test_with_override():
    assert settings.FEATURES["new_flow"]
"""

MODULES = {
    "constants": CONSTANTS,
    "followed": FOLLOWED,
    "classes": CLASSES,
    "registry-use": REGISTRY_USE,
}


def _removal(
    root: Path, text: str, pyproject: str, value: bool
) -> tuple[str, list[tuple[int, str]], str | None]:
    root.mkdir()
    write_project(root, {}, pyproject)
    (root / "app" / "flags.py").write_text(
        'FLAGS = {"new_flow": True, "other": False}\n\n\ndef is_on(name, context=None):\n'
        "    return FLAGS.get(name, False)\n"
    )
    (root / "app" / "mod.py").write_text(text)
    result = run_removal(root, "new_flow", value)
    (change,) = [change for change in result.changes if change.path.name == "mod.py"]
    return change.after, [(note.line, note.message) for note in change.notes], change.error


@pytest.mark.parametrize("value", [True, False], ids=["on", "off"])
@pytest.mark.parametrize("pyproject", [PLAIN, REGISTRIES], ids=["plain", "registries"])
@pytest.mark.parametrize("name", sorted(MODULES))
def test_skipping_inert_subtrees_gives_what_entering_every_node_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, pyproject: str, value: bool
) -> None:
    outcomes = []
    for skip in (True, False):
        monkeypatch.setattr(codemod, "SKIP_INERT", skip)
        outcomes.append(_removal(tmp_path / str(skip), MODULES[name], pyproject, value))
    skipping, entering = outcomes
    assert skipping == entering
    after, _, error = skipping
    assert error is None
    assert after != MODULES[name]
    compile(after, "mod.py", "exec", dont_inherit=True)


def test_constants_beside_a_check_are_folded_and_those_elsewhere_are_not(tmp_path: Path) -> None:
    after, notes, error = _removal(tmp_path / "run", CONSTANTS, PLAIN, True)
    assert error is None and notes == []
    assert "return not True if x else (x and False)" in after  # no check there: never rewritten
    assert "if True:" not in after and "while False" not in after and "flag" not in after
    assert "return label, kept" in after and "kept = [item for item in items]\n" in after
    assert "print(item, item)" in after and "return [value for value in items]\n" in after


def test_a_followed_variable_is_replaced_in_nested_scopes_too(tmp_path: Path) -> None:
    after, _, error = _removal(tmp_path / "run", FOLLOWED, PLAIN, True)
    assert error is None
    assert "enabled = " not in after and "active: bool" not in after
    assert "return user" in after and "(lambda: False)" in after
    assert '"active": True' in after
    assert "def shadowed(enabled):\n    return enabled\n" in after  # a parameter, not the check


def test_a_registry_lookup_with_no_check_call_around_it_is_rewritten_through_the_cli(tmp_path: Path) -> None:
    """Registries are matched by what a name qualifies to, not by a call's name: with any
    configured, a statement holding a module-level name is entered (here a lookup of the
    registry alone), through the real CLI on files on disk."""
    root = write_project(tmp_path, {"app/mod.py": REGISTRY_USE}, REGISTRIES)
    code, err = remove(root, "new_flow", "on")
    assert code == 0, err
    after = (root / "app" / "mod.py").read_text()
    assert 'FLAGS["new_flow"]' not in after and "return True and flags.FLAGS.get" not in after
    assert 'return flags.FLAGS.get("other")' in after
    assert 'settings.FEATURES["new_flow"]' not in after
    assert '@override_settings(FEATURES={"other": False})' in after


def _marked_code(source: str, callables: set[str]) -> list[str]:
    module = cst.parse_module(textwrap.dedent(source))
    marked: set[int] = set()
    mark(module, frozenset(callables), BOOL_NAMES, marked)
    found: list[str] = []

    class Collect(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            if id(node) in marked and isinstance(node, cst.SimpleStatementLine):
                found.append(module.code_for_node(node).strip())
            return True

    module.visit(Collect())
    return found


def test_mark_finds_calls_by_name_literal_booleans_and_classes_only() -> None:
    found = _marked_code(
        """
        def f(x):
            a = check("k")
            b = other.check(x)
            c = x.other(check)
            d = handlers[0](x)
            e = not True
            return a

        class C:
            value = 1
        """,
        {"check"},
    )
    assert found == ['a = check("k")', "b = other.check(x)", "e = not True"]


def test_mark_marks_every_ancestor_of_what_it_finds() -> None:
    module = cst.parse_module("def f():\n    if x:\n        return [check(y) for y in z]\n    return 1\n")
    marked: set[int] = set()
    assert mark(module, frozenset({"check"}), BOOL_NAMES, marked)
    function = module.body[0]
    assert isinstance(function, cst.FunctionDef) and isinstance(function.body, cst.IndentedBlock)
    branch, last = function.body.body
    assert {id(module), id(function), id(function.body), id(branch)} <= marked
    assert id(last) not in marked


def test_reads_of_a_followed_variable_are_marked_by_the_first_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk before the visit sees `enabled = is_on(...)` and marks the reads after it, so the
    remover needs no second walk when it starts following the variable."""
    walks: list[frozenset[str]] = []

    def counted(node: cst.CSTNode, callables: frozenset[str], *rest: object) -> bool:
        walks.append(callables)
        return mark(node, callables, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(codemod, "mark", counted)
    after, _, error = _removal(tmp_path / "run", FOLLOWED, PLAIN, True)
    assert error is None and "enabled" not in after.split("def shadowed")[0]
    assert walks and all(callables for callables in walks)  # no walk for one variable's reads


def test_without_the_first_walk_s_bindings_the_variable_s_reads_are_marked_when_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pytest_releasesafe.flags import cst_marks

    monkeypatch.setattr(cst_marks, "_bind", lambda *args: None)
    outcomes = []
    for skip in (True, False):
        monkeypatch.setattr(codemod, "SKIP_INERT", skip)
        outcomes.append(_removal(tmp_path / str(skip), FOLLOWED, PLAIN, True))
    assert outcomes[0] == outcomes[1] and outcomes[0][2] is None
