"""Rewriting a user's file keeps every byte we did not mean to change, and never truncates it."""

from __future__ import annotations

import codecs
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pytest_releasesafe.source_text import RewriteRefused, read_source, write_source


def rewrite(path: Path, old: str, new: str, **kwargs: object) -> bytes:
    source = read_source(path)
    write_source(source, source.text.replace(old, new), **kwargs)  # type: ignore[arg-type]
    return path.read_bytes()


def test_crlf_line_endings_survive_a_rewrite(tmp_path: Path) -> None:
    path = tmp_path / "m.sql"
    path.write_bytes(b"CREATE INDEX a ON t (x);\r\nSELECT 1;\r\n")
    assert rewrite(path, "INDEX a", "INDEX CONCURRENTLY a") == (
        b"CREATE INDEX CONCURRENTLY a ON t (x);\r\nSELECT 1;\r\n"
    )


def test_utf8_bom_survives_a_rewrite(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(codecs.BOM_UTF8 + b"x = 1\n")
    assert read_source(path).text == "x = 1\n"
    assert rewrite(path, "1", "2") == codecs.BOM_UTF8 + b"x = 2\n"


def test_latin1_file_with_a_coding_line_is_written_back_in_latin1(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\nx = 1\n")
    assert rewrite(path, "x = 1", "x = 2") == b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\nx = 2\n"


def test_file_mode_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "run.py"
    path.write_text("x = 1\n")
    path.chmod(0o751)
    rewrite(path, "1", "2")
    assert path.stat().st_mode & 0o777 == 0o751


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "m.sql"
    path.write_text("SELECT 1;\n")
    source = read_source(path)
    path.write_text("SELECT 2; -- edited meanwhile\n")
    with pytest.raises(RewriteRefused, match="changed on disk"):
        write_source(source, "SELECT 3;\n")
    assert path.read_text() == "SELECT 2; -- edited meanwhile\n"


def test_a_symlink_out_of_the_project_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.sql"
    outside.write_text("SELECT 1;\n")
    project = tmp_path / "project"
    project.mkdir()
    link = project / "m.sql"
    link.symlink_to(outside)
    with pytest.raises(RewriteRefused, match="outside the project"):
        write_source(read_source(link), "SELECT 2;\n", root=project)
    assert outside.read_text() == "SELECT 1;\n"


def test_a_file_deleted_since_it_was_read_is_a_refusal_not_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "m.sql"
    path.write_text("SELECT 1;\n")
    source = read_source(path)
    path.unlink()
    with pytest.raises(RewriteRefused, match="cannot read before writing"):
        write_source(source, "SELECT 2;\n")
    assert not path.exists()


_WRITER = """
import sys
from pathlib import Path
from pytest_releasesafe.source_text import read_source, write_source
path = Path(sys.argv[1])
old, new = "a" * 4_000_000, "b" * 4_000_000
print("ready", flush=True)
while True:
    source = read_source(path)
    write_source(source, new if source.text.startswith("a") else old)
"""


def test_a_kill_during_writes_never_leaves_a_truncated_file(tmp_path: Path) -> None:
    path = tmp_path / "big.sql"
    path.write_text("a" * 4_000_000)
    for attempt in range(12):
        writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE)
        assert writer.stdout is not None
        writer.stdout.readline()
        time.sleep(0.01 + 0.013 * attempt)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        data = path.read_bytes()
        assert len(data) == 4_000_000, f"attempt {attempt}: {len(data)} bytes left"
        assert data in (b"a" * 4_000_000, b"b" * 4_000_000)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "big.sql"]
    # A killed writer may leave its temporary file; it is never the user's file.
    assert all(name.startswith(".big.sql.") and name.endswith(".tmp") for name in leftovers)
