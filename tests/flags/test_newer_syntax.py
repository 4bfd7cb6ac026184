"""Code written for a newer Python (3.12-3.14 syntax) is scanned and rewritten, not skipped."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from pytest_releasesafe.flags.newer_syntax import check_compiles

from .conftest import write_project
from .test_cli import run

NEWER = """\
from app.flags import is_on

type Handler = list[int]


def first[T](items: list[T]) -> T:
    if is_on("new_flow"):
        return items[-1]
    return items[0]


class Box[T]:
    def open(self) -> bool:
        try:
            return is_on("new_flow")
        except ValueError, TypeError:
            return False


def dynamic[T](name: str) -> bool:
    return is_on(name)
"""

REWRITTEN = """\
type Handler = list[int]


def first[T](items: list[T]) -> T:
    return items[-1]


class Box[T]:
    def open(self) -> bool:
        try:
            return True
        except ValueError, TypeError:
            return False


def dynamic[T](name: str) -> bool:
    return is_on(name)
"""


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="this Python parses the file itself")
def test_this_python_cannot_parse_the_file() -> None:
    with pytest.raises(SyntaxError):
        compile(NEWER, "newer.py", "exec")


def test_newer_syntax_is_scanned_with_every_check_found(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"app/newer.py": NEWER})
    code, out, _ = run("scan", str(root), "--format", "json")
    found = [(f["rule"], f["line"]) for f in json.loads(out)]
    assert code == 1
    assert found == [("RSF006", 21)], "the dynamic key is found, and no parse error is reported"


def test_newer_syntax_is_rewritten_keeping_its_syntax(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"app/newer.py": NEWER})
    code, _, err = run("remove", "new_flow", "--value", "on", str(root), "--write")
    # The run-time key in a file that names the flag may be it: listed, never silently kept.
    assert code == 1
    assert "app/newer.py:21: left for manual removal: `is_on` gets its flag key at run time" in err
    text = (root / "app" / "newer.py").read_text()
    # is_on stays imported: dynamic() still uses it.
    assert text == "from app.flags import is_on\n\n" + REWRITTEN
    check_compiles(text, "newer.py")


def test_code_no_python_parses_is_still_a_parse_error(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"app/bad.py": "from app.flags import is_on\ndef f(:\n    is_on('x')\n"})
    code, out, _ = run("scan", str(root), "--format", "json")
    assert code == 1 and [(f["rule"], f["line"]) for f in json.loads(out)] == [("RSF009", 2)]
