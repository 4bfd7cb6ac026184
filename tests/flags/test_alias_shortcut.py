"""A check passing only the function's own parameters as bare names needs no look at the
function's local aliases (a parameter is never one); any other bare name still gets it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_releasesafe.flags import codemod

from .conftest import removal_outcome, write_project

PARAMETERS_ONLY = """\
from app.flags import is_on


def label(request, *args, context=None, **options):
    return "new" if is_on("new_flow", context) else "old"


def positional(ctx, /):
    return is_on("new_flow", ctx) and ctx
"""

ALIAS_AND_PARAMETER = """\
from app.flags import is_on


def view(request, ctx):
    name = "new_flow"
    if is_on(name, ctx):
        return "new"
    return "old"
"""


def test_parameters_alone_do_not_read_the_aliases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(code: str) -> object:
        raise AssertionError(f"aliases read for:\n{code}")

    monkeypatch.setattr(codemod, "aliases_in_code", refuse)
    root = write_project(tmp_path, {"app/mod.py": PARAMETERS_ONLY})
    _, after, notes = removal_outcome(root)
    assert notes == []
    assert 'return "new"\n' in after and "return ctx\n" in after and "is_on" not in after


def test_a_bare_name_besides_the_parameters_is_still_read_as_an_alias(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"app/mod.py": ALIAS_AND_PARAMETER})
    _, after, notes = removal_outcome(root)
    assert notes == []
    assert after == 'def view(request, ctx):\n    return "new"\n'
