"""Whether another file mentions a helper: the index left without the one file rewritten (every
question leaves it out) answers as the full index does."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_releasesafe.flags import removal
from pytest_releasesafe.flags.removal import _OtherFiles

from .conftest import removal_outcome, write_project


def test_leaving_out_the_only_file_rewritten_answers_the_same(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text("def _helper():\n    return shared()\n\n\nlocal_only = 1\n")
    (tmp_path / "other.py").write_text("from big import _helper\n\nshared = 2\n")
    files = [str(tmp_path / "big.py"), str(tmp_path / "other.py")]
    full, without = _OtherFiles(files), _OtherFiles(files, str(tmp_path / "big.py"))
    for name in ("_helper", "shared", "local_only", "absent", "big", "return"):
        assert without.mentions(name, tmp_path / "big.py") == full.mentions(name, tmp_path / "big.py")
    assert without.mentions("_helper", tmp_path / "big.py") and not without.mentions(
        "local_only", tmp_path / "big.py"
    )


def test_a_helper_another_module_imports_stays_when_one_file_is_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str | None] = []
    original = removal._OtherFiles.__init__

    def record(self: _OtherFiles, files: list[str], only_besides: str | None = None) -> None:
        built.append(only_besides)
        original(self, files, only_besides)

    monkeypatch.setattr(removal._OtherFiles, "__init__", record)
    root = write_project(
        tmp_path,
        {
            "app/mod.py": (
                "from app.flags import is_on\n\n\ndef _old():\n    return 1\n\n\ndef _older():\n    return 0\n\n\n"
                'def f():\n    if is_on("new_flow"):\n        return 2\n    return _old() + _older()\n'
            ),
            "app/user.py": "from app.mod import _old\n",
        },
        '[tool.releasesafe.flags]\nchecks = ["app.flags:is_on"]\n',  # no registry: one file to rewrite
    )
    _, after, _ = removal_outcome(root)
    assert "def _old():" in after and "_older" not in after
    assert built == [str(root / "app" / "mod.py")]
