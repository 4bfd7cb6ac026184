"""Shapes of real code that `releasesafe flags remove --write` must get right, run through the CLI on disk.

Every case checks the rewritten files byte for byte, that they compile, and that a second run
changes nothing.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from .conftest import write_project
from .test_cli import run


def remove(root: Path, flag: str, value: str, *extra: str) -> tuple[int, str]:
    code, out, err = run("remove", flag, "--value", value, str(root), "--write", *extra)
    assert out == ""
    for path in root.rglob("*.py"):
        compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
    snapshot = {path: path.read_bytes() for path in root.rglob("*.py")}
    run("remove", flag, "--value", value, str(root), "--write", *extra)
    assert {path: path.read_bytes() for path in root.rglob("*.py")} == snapshot, "second run changed files"
    return code, err


def dedent(text: str) -> str:
    return textwrap.dedent(text)


@pytest.mark.parametrize(
    ("value", "test", "kept"),
    [
        ("on", 'is_on("new_flow") == True', "new"),
        ("on", 'is_on("new_flow") != True', "old"),
        ("on", 'is_on("new_flow") == False', "old"),
        ("off", 'is_on("new_flow") == False', "new"),
        ("on", 'is_on("new_flow") is True', "new"),
        ("off", 'is_on("new_flow") is not False', "old"),
        ("on", 'True == is_on("new_flow")', "new"),
        ("off", '(is_on("new_flow") is False) and ready', "ready"),
    ],
)
def test_comparisons_with_true_and_false_simplify(tmp_path: Path, value: str, test: str, kept: str) -> None:
    source = f"""\
from app.flags import is_on


def view(ready):
    if {test}:
        return "new"
    return "old"
"""
    root = write_project(tmp_path, {"app/mod.py": source})
    code, err = remove(root, "new_flow", value)
    assert code == 0, err
    text = (root / "app" / "mod.py").read_text()
    assert "True ==" not in text and "== True" not in text and "is not False" not in text
    if kept == "ready":
        assert 'if ready:\n        return "new"\n    return "old"' in text
    else:
        assert text == f'def view(ready):\n    return "{kept}"\n'


def test_a_removed_constant_takes_its_comment_block_and_one_blank_line(tmp_path: Path) -> None:
    names = """\
    \"\"\"Flag names.\"\"\"

    # Shared flags: a heading for the group below, it stays.
    OTHER = "other"
    NEXT = "next"

    # The new flow: owned by payments.
    # Remove after the launch.
    NEW_FLOW = "new_flow"  # rolled out 2026-02

    LAST = "last"


    class Flags:
        A = "a"

        # new flow, as a member
        NEW = "new_flow"

        B = "b"
    """
    views = """\
    from app.flags import is_on
    from app.names import LAST, NEW_FLOW, NEXT, OTHER, Flags


    def view():
        if is_on(NEW_FLOW) or is_on(Flags.NEW):
            return "new"
        return is_on(OTHER), is_on(NEXT), is_on(LAST), Flags.A, Flags.B
    """
    root = write_project(tmp_path, {"app/names.py": names, "app/views.py": views})
    code, err = remove(root, "new_flow", "on")
    assert code == 0, err
    assert (root / "app" / "names.py").read_text() == dedent(
        """\
        \"\"\"Flag names.\"\"\"

        # Shared flags: a heading for the group below, it stays.
        OTHER = "other"
        NEXT = "next"

        LAST = "last"


        class Flags:
            A = "a"

            B = "b"
        """
    )


def test_a_comment_heading_a_group_stays_with_the_group(tmp_path: Path) -> None:
    names = """\
    # Checkout flags
    NEW_FLOW = "new_flow"
    OTHER = "other"
    """
    views = """\
    from app.flags import is_on
    from app.names import NEW_FLOW, OTHER


    def view():
        return is_on(NEW_FLOW), is_on(OTHER)
    """
    root = write_project(tmp_path, {"app/names.py": names, "app/views.py": views})
    code, err = remove(root, "new_flow", "on")
    assert code == 0, err
    assert (root / "app" / "names.py").read_text() == '# Checkout flags\nOTHER = "other"\n'


def test_a_key_held_in_a_local_alias_is_rewritten_and_the_alias_goes(tmp_path: Path) -> None:
    views = """\
    import waffle
    from app.names import NEW_FLOW


    def view(request):
        name = NEW_FLOW
        if waffle.flag_is_active(request, name):
            return "new"
        return "old"


    def twice(request):
        key: str = "new_flow"
        first = waffle.switch_is_active(key)
        return first, key
    """
    root = write_project(tmp_path, {"app/names.py": 'NEW_FLOW = "new_flow"\n', "app/views.py": views})
    code, out, _ = run("scan", str(root), "--format", "json")
    assert code == 0 and out.strip() == "[]", "an alias is a known key, not a dynamic one"
    code, err = remove(root, "new_flow", "on")
    assert code == 0, err
    assert (root / "app" / "views.py").read_text() == dedent(
        """\
        def view(request):
            return "new"


        def twice(request):
            key: str = "new_flow"
            return True, key
        """
    )
    assert not (root / "app" / "names.py").read_text().strip()


def test_every_check_that_cannot_be_rewritten_is_listed_with_file_line_and_reason(tmp_path: Path) -> None:
    views = """\
    import waffle
    from app.names import NEW_FLOW


    def chosen(request, cond):
        key = NEW_FLOW if cond else "other"
        return waffle.flag_is_active(request, key)


    def rebound(request):
        name = NEW_FLOW
        name = name.upper()
        return waffle.flag_is_active(request, name)


    def wrap(view):
        return waffle.decorators.waffle_flag(NEW_FLOW)(view)
    """
    root = write_project(tmp_path, {"app/names.py": 'NEW_FLOW = "new_flow"\n', "app/views.py": views})
    before = (root / "app" / "views.py").read_text()
    code, err = remove(root, "new_flow", "on")
    assert code == 1
    assert "app/views.py:7: left for manual removal: `flag_is_active` gets its flag key at run time" in err
    assert "app/views.py:13: left for manual removal: `flag_is_active` gets its flag key at run time" in err
    assert "app/views.py:17: left for manual removal: `waffle_flag` checks 'new_flow' in a form" in err
    assert "3 left for manual removal" in err
    assert (root / "app" / "views.py").read_text() == before
