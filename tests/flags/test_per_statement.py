"""Removal a window of statements at a time gives exactly what the whole-module rewrite gives.

Each file below is written to disk and the flag removed twice from fresh copies: once with the
per-statement path, once with the module as a whole (the path it replaces on large files). The
texts must be identical, must compile, and a second run on the result must change nothing. The
files are shaped like real modules: decorators, nested functions, classes with methods, comment
blocks, helpers that become unused, imports, module-level checks, tabs, CRLF and a BOM.
"""

from __future__ import annotations

import ast
import codecs
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pytest_releasesafe.cli import main
from pytest_releasesafe.flags import per_statement as windows_module
from pytest_releasesafe.flags import removal
from pytest_releasesafe.flags.pieces import Pieces, drop_pieces, split_pieces
from pytest_releasesafe.flags.spans import statement_spans

from .conftest import apply, run_removal, write_project

SERVICE = '''\
"""Checkout service."""

import functools
import logging

from app.flags import is_on

log = logging.getLogger(__name__)


def _legacy_total(cart):
    # Kept for the old flow.
    return sum(cart)


def cached(function):
    @functools.wraps(function)
    def wrapper(*args):
        return function(*args)

    return wrapper


@cached
def total(cart):
    if is_on("new_flow"):
        # New flow: rounded.
        return round(sum(cart), 2)
    return _legacy_total(cart)


def label(request):
    def inner():
        return "new" if is_on("new_flow", request) else "old"

    return inner()


class Cart:
    """A cart."""

    def __init__(self, items):
        self.items = items

    @property
    def flow(self):
        enabled = is_on("new_flow")
        if not enabled:
            return None
        return "new"

    def other(self):
        return len(self.items)


# The banner shows while the flag is on.
if is_on("new_flow"):
    BANNER = "new"
else:
    BANNER = "old"


def untouched():
    return log.name


def test_new_flow():
    assert is_on("new_flow") or True
'''

TOP_OF_FILE = """\
# A header comment.

if is_on("new_flow"):
    MODE = 1
from app.flags import is_on


def view():
    return is_on("new_flow")"""  # no final newline, and the last statement checks the flag

TABS = "from app.flags import is_on\n\n\nclass View:\n\tdef get(self):\n\t\tif is_on('new_flow'):\n\t\t\treturn 1\n\t\treturn 2\n"

# Helpers that only the removed code used, in the places a dropped helper's comments and blank
# lines can be: glued to the statement before, with no blank line, in runs, last in the file.
HELPERS = """\
def _old_first():
    return "first"
from app.flags import is_on


def keep():
    return 1
# A comment glued to the helper below.

def _old_a():
    return "a"
def _old_b():  # no blank line before this one
    return "b"

# Between two helpers.

def _old_c():
    return "c"
x = 1  # right after a dropped helper, no blank line


def view():
    if is_on("new_flow"):
        return "new"
    return _old_first() + _old_a() + _old_b() + _old_c()


def _old_d():
    return "d"


# About view_d.
def view_d():
    return "new" if is_on("new_flow") else _old_d()


def view_last():
    return is_on("new_flow") or _old_last()


# The last helper.
def _old_last():
    return "z"
"""

# Checks far enough apart to be windows of their own: in a function, a class body and a method's
# nested function, a decorated function, at module level, and a statement touching the one before.
# `one` is rewritten in the forked process and still calls `_old_path`: were its new statement
# numbered like one made in this process (`two`), the clean-up would miss it and drop the helper.
SPREAD = '''\
"""Checks spread over a module."""

from app.flags import is_on

LIMIT = 3


def _old_path():
    return 0


def one():
    if is_on("new_flow"):
        return _old_path() + 1
    return _old_path()


def spacer_a():
    return "a"


def spacer_b():
    return "b"


def spacer_c():
    return "c"


class Settings:
    mode = "new" if is_on("new_flow") else "old"

    def method(self):
        def inner():
            return is_on("new_flow") and LIMIT

        return inner


def spacer_d():
    return "d"


def spacer_e():
    return "e"


def spacer_f():
    return "f"


@staticmethod
def decorated():
    enabled = is_on("new_flow")
    if not enabled:
        return None
    return "new"


def spacer_g():
    return "g"


def spacer_h():
    return "h"


def spacer_i():
    return "i"


if is_on("new_flow"):
    BANNER = "new"
else:
    BANNER = "old"
def two(): return is_on("new_flow")
'''

FILES = {"service": SERVICE, "top-of-file": TOP_OF_FILE, "tabs": TABS, "helpers": HELPERS, "spread": SPREAD}


def _removed(tmp_path: Path, name: str, text: str, per_statement: bool, value: bool) -> str:
    root = tmp_path / f"{name}-{per_statement}-{value}"
    root.mkdir()
    write_project(root, {})
    target = root / "app" / "mod.py"
    target.write_text(text)
    removal.PER_STATEMENT = per_statement
    result = run_removal(root, "new_flow", value)
    (change,) = [change for change in result.changes if change.path.name == "mod.py"]
    assert change.error is None
    return change.after


@pytest.mark.parametrize("value", [True, False], ids=["on", "off"])
@pytest.mark.parametrize("name", sorted(FILES))
def test_per_statement_removal_equals_whole_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: bool
) -> None:
    monkeypatch.setattr(removal, "PER_STATEMENT", True)
    whole = _removed(tmp_path, name, FILES[name], False, value)

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("the per-statement path fell back to the whole module")

    monkeypatch.setattr(removal, "_rewrite_module", refuse)
    by_statement = _removed(tmp_path, name, FILES[name], True, value)
    assert by_statement == whole
    assert by_statement != FILES[name]
    compile(by_statement, "mod.py", "exec", dont_inherit=True)


def test_per_statement_removal_drops_helpers_and_imports_only_the_removed_code_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(removal, "PER_STATEMENT", True)
    after = _removed(tmp_path, "service", SERVICE, True, True)
    assert "_legacy_total" not in after  # only the old branch called it
    assert "from app.flags import is_on" not in after
    assert "import functools" in after and "def untouched" in after
    assert 'BANNER = "new"' in after and "# The banner shows while the flag is on." in after


def test_per_statement_removal_is_idempotent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(removal, "PER_STATEMENT", True)
    root = write_project(tmp_path, {})
    (root / "app" / "mod.py").write_text(SERVICE)
    apply(run_removal(root, "new_flow", True))
    again = run_removal(root, "new_flow", True)
    assert not any(change.changed for change in again.changes)


def test_per_statement_write_keeps_bom_and_crlf_as_the_whole_module_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs = []
    for per_statement in (True, False):
        root = tmp_path / str(per_statement)
        root.mkdir()
        write_project(root, {})
        target = root / "app" / "mod.py"
        target.write_bytes(codecs.BOM_UTF8 + SERVICE.replace("\n", "\r\n").encode())
        monkeypatch.setattr(removal, "PER_STATEMENT", per_statement)
        monkeypatch.chdir(root)
        result = CliRunner().invoke(main, ["flags", "remove", "new_flow", "--value", "on", "--write", "."])
        assert result.exit_code == 0, result.output
        outputs.append(target.read_bytes())
        shutil.rmtree(root / "app" / "__pycache__", ignore_errors=True)
    by_statement, whole = outputs
    assert by_statement == whole
    assert by_statement.startswith(codecs.BOM_UTF8)
    assert b"\r\n" in by_statement and b"\n" not in by_statement.replace(b"\r\n", b"")
    compile(by_statement, "mod.py", "exec", dont_inherit=True)


def _pieces(source: str) -> Pieces:
    return split_pieces(source, statement_spans(ast.parse(source)))


def test_dropping_pieces_by_text_keeps_the_separation_a_libcst_rebuild_keeps() -> None:
    whole = _pieces("a = 1\n\n\ndef f():\n    pass\nb = 2\n# end\n")
    assert drop_pieces(whole, 1, 1, {1})
    assert whole.text == "a = 1\n\nb = 2\n# end\n"


@pytest.mark.parametrize(
    ("source", "first"),
    [
        ("def f():\n    pass\n\na = 1\n", 0),  # the file's first statement: libcst's module header
        ("a = 1\r\n\r\ndef f():\r\n    pass\r\n", 1),  # CRLF
        ("a = 1\n\x0c\ndef f():\n    pass\n", 1),  # a form feed in the gap
    ],
    ids=["first-statement", "crlf", "form-feed"],
)
def test_dropping_pieces_by_text_refuses_what_it_cannot_read_for_sure(source: str, first: int) -> None:
    whole = _pieces(source)
    assert not drop_pieces(whole, first, first, {first})
    assert whole.text == source


def _result(root: Path, value: bool) -> tuple[str, list[tuple[int, str]]]:
    result = run_removal(root, "new_flow", value)
    (change,) = [change for change in result.changes if change.path.name == "mod.py"]
    assert change.error is None
    return change.after, [(note.line, note.message) for note in change.notes]


@pytest.mark.parametrize("value", [True, False], ids=["on", "off"])
@pytest.mark.parametrize("name", sorted(FILES))
def test_windows_rewritten_in_two_processes_give_what_one_process_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: bool
) -> None:
    monkeypatch.setattr(removal, "PER_STATEMENT", True)
    outcomes = []
    splits: list[int] = []
    real_split = windows_module.in_two_processes

    def counted(whole: Pieces, runs: list[tuple[int, int]], job: object) -> object:
        splits.append(len(runs))
        return real_split(whole, runs, job)  # type: ignore[arg-type]

    monkeypatch.setattr(windows_module, "in_two_processes", counted)
    for parallel_from in (10**9, 1):
        root = tmp_path / str(parallel_from)
        root.mkdir()
        write_project(root, {"app/mod.py": FILES[name]})
        monkeypatch.setattr(windows_module, "PARALLEL_FROM", parallel_from)
        outcomes.append(_result(root, value))
    assert splits and outcomes[1] == outcomes[0]
    if name == "spread":
        assert 4 in splits  # two windows for each process


REFUSED_FIRST = """\
from django.http import HttpResponse
from waffle.decorators import waffle_flag

from app.flags import is_on


@waffle_flag("new_flow")
def view(request):
    return HttpResponse("new")


def a():
    return 1


def b():
    return 2


def c():
    return 3


def total(cart):
    if is_on("new_flow"):
        return round(sum(cart), 2)
    return sum(cart)
"""


def test_a_window_the_forked_process_cannot_rewrite_sends_the_file_to_the_whole_module_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Off, the waffle_flag view must raise Http404, which this file does not import: that window
    # refuses, in the forked half, and the file is rewritten as a whole, as in one process.
    monkeypatch.setattr(removal, "PER_STATEMENT", True)
    monkeypatch.setattr(windows_module, "PARALLEL_FROM", 2)
    (tmp_path / "two").mkdir()
    (tmp_path / "whole").mkdir()
    root = write_project(tmp_path / "two", {"app/mod.py": REFUSED_FIRST})
    split, _ = _result(root, False)
    monkeypatch.setattr(removal, "PER_STATEMENT", False)
    whole, _ = _result(write_project(tmp_path / "whole", {"app/mod.py": REFUSED_FIRST}), False)
    assert split == whole
    assert "from django.http import Http404" in split and "round(sum(cart), 2)" not in split
