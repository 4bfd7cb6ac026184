"""`flags remove --write` on real files: encodings, BOM, line endings, mode, refused writes, exit codes."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from .conftest import write_project
from .test_cli import run

CHECKING = """\
from app.flags import is_on


def view():
    if is_on("new_flow"):
        return "new"
    return "old"
"""

REWRITTEN = """\
def view():
    return "new"
"""


def _compiles(path: Path) -> None:
    # From bytes, as Python reads a module: the BOM and the coding line are honoured.
    compile(path.read_bytes(), str(path), "exec", dont_inherit=True)


def test_remove_keeps_utf8_bom_crlf_and_mode_and_is_idempotent(tmp_path: Path) -> None:
    root = write_project(tmp_path, {})
    bom = root / "app" / "bom.py"
    bom.write_bytes(codecs.BOM_UTF8 + CHECKING.replace('"new"', '"né"').encode())
    crlf = root / "app" / "crlf.py"
    crlf.write_bytes(CHECKING.replace("\n", "\r\n").encode())
    os.chmod(crlf, 0o640)

    code, out, err = run("remove", "new_flow", "--value", "on", str(root), "--write")
    assert (code, out) == (0, ""), err
    # bom.py, crlf.py and app/flags.py, whose registry dict loses the flag's entry
    assert "rewrote 3 files" in err and "0 files with errors" in err
    assert bom.read_bytes() == codecs.BOM_UTF8 + REWRITTEN.replace('"new"', '"né"').encode()
    assert crlf.read_bytes() == REWRITTEN.replace("\n", "\r\n").encode()
    assert stat.S_IMODE(crlf.stat().st_mode) == 0o640
    for path in (bom, crlf):
        _compiles(path)
    assert not list(root.rglob("*.tmp")), "no temporary file is left behind"

    snapshot = {path: path.read_bytes() for path in root.rglob("*.py")}
    code, _, err = run("remove", "new_flow", "--value", "on", str(root), "--write")
    assert {path: path.read_bytes() for path in root.rglob("*.py")} == snapshot
    assert "rewrote 0 files" in err


def test_latin1_file_with_coding_line_is_scanned_and_rewritten_in_latin1(tmp_path: Path) -> None:
    root = write_project(tmp_path, {})
    legacy = root / "app" / "legacy.py"
    text = "# -*- coding: latin-1 -*-\n" + CHECKING.replace('"old"', '"ancien café"')
    legacy.write_bytes(text.encode("latin-1"))

    code, out, _ = run("scan", str(root), "--format", "json")
    assert code == 0 and out.strip() == "[]"  # scanned without a parse error
    code, _, err = run("remove", "new_flow", "--value", "off", str(root), "--write")
    assert code == 0, err
    expected = '# -*- coding: latin-1 -*-\ndef view():\n    return "ancien café"\n'
    assert legacy.read_bytes() == expected.encode("latin-1")
    _compiles(legacy)


def test_a_refused_write_is_an_error_for_that_file_and_not_counted(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "shared.py").write_text(CHECKING)
    (tmp_path / "project").mkdir()
    root = write_project(tmp_path / "project", {"app/own.py": CHECKING})
    (root / "app" / "linked.py").symlink_to(outside / "shared.py")

    code, _, err = run("remove", "new_flow", "--value", "on", str(root), "--write")
    assert code == 1
    assert "app/linked.py: error: not written: symlink leads outside the project" in err
    assert "rewrote 2 files" in err and "1 files with errors" in err
    assert (outside / "shared.py").read_text() == CHECKING, "the file outside the project is untouched"
    assert (root / "app" / "own.py").read_text() == REWRITTEN


def test_unparsable_files_are_reported_with_line_and_exit_1(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {"app/broken.py": "from app.flags import is_on\nif is_on('new_flow'):\n", "app/ok.py": CHECKING},
    )
    code, _, err = run("remove", "new_flow", "--value", "on", str(root), "--write")
    assert code == 1
    assert "app/broken.py:2: error: Cannot parse" in err
    assert (root / "app" / "ok.py").read_text() == REWRITTEN, "the other files are still rewritten"


def test_a_flag_that_exists_nowhere_warns_suggests_and_exits_3(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"app/ok.py": CHECKING})
    code, out, err = run("remove", "new_flwo", "--value", "on", str(root), "--write")
    assert (code, out) == (3, "")
    assert "warning: flag 'new_flwo' is not checked, defined or listed anywhere" in err
    assert "did you mean 'new_flow'?" in err
    assert (root / "app" / "ok.py").read_text() == CHECKING


def test_config_outside_the_project_still_resolves_imports_from_the_project_root(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "main").mkdir(parents=True)
    (project / "main" / "__init__.py").write_text("")
    (project / "main" / "features.py").write_text('NEW_FLOW = "new_flow"\n')
    (project / "web").mkdir()
    (project / "web" / "views.py").write_text(
        "import waffle\nfrom main import features\n\n\ndef view(request):\n"
        "    return waffle.flag_is_active(request, features.NEW_FLOW)\n"
    )
    config = tmp_path / "ci" / "pyproject.toml"
    config.parent.mkdir()
    config.write_text("[tool.releasesafe.flags]\nexclude = []\n")

    code, out, _ = run("scan", str(project), "--config", str(config), "--format", "json")
    assert code == 0 and out.strip() == "[]", "the key resolves: no flag-key-dynamic finding"
    code, _, err = run(
        "remove", "new_flow", "--value", "on", str(project), "--config", str(config), "--write"
    )
    assert code == 0, err
    assert (project / "web" / "views.py").read_text() == "def view(request):\n    return True\n"
    assert "NEW_FLOW" not in (project / "main" / "features.py").read_text()


def test_untouched_statements_are_kept_byte_for_byte_even_without_a_final_newline(tmp_path: Path) -> None:
    # Statements that neither check nor name the flag never go through libcst: they must come back
    # exactly as they were, odd layouts included.
    kept_before = (
        'x = 1; y = 2  # two\n\n\ndef keep():\n    s = """\nmulti\n"""\n    return s \\\n        + "a"\n'
    )
    last = "\n\nclass Last:\n    pass  # no newline at end"
    source = "from app.flags import is_on\n" + kept_before + "\n\n" + CHECKING.split("\n\n\n", 1)[1] + last
    root = write_project(tmp_path, {})
    (root / "app" / "mod.py").write_text(source)
    code, _, err = run("remove", "new_flow", "--value", "on", str(root), "--write")
    assert code == 0, err
    text = (root / "app" / "mod.py").read_text()
    assert text == kept_before + "\n\n" + REWRITTEN + last
    _compiles(root / "app" / "mod.py")
