"""Bad input is a finding or a clear error with file and line; the run goes on with the other files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def lint(path: Path, *args: str) -> tuple[int, list[dict], str]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest_releasesafe",
            "lint",
            "--format",
            "json",
            "--no-cache",
            str(path),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout) if done.stdout.strip() else [], done.stderr


def test_bad_files_are_findings_and_the_good_ones_still_linted(tmp_path: Path) -> None:
    (tmp_path / "syntax.sql").write_text("SELECT 1;\nALTR TABLE users DROP COLUMN a;\n")
    (tmp_path / "latin1.sql").write_bytes("-- caf\xe9\nSELECT 1;\n".encode("latin-1"))
    (tmp_path / "binary.sql").write_bytes(b"\x00\x01\x02garbage")
    (tmp_path / "empty.sql").write_text("")
    (tmp_path / "unterminated.sql").write_text("SELECT 1;\nUPDATE users SET a = 'oops;\n")
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "broken.py").write_text('revision = "x"\ndown_revision = None\n\ndef upgrade(:\n    pass\n')
    (versions / "computed.py").write_text(
        'from alembic import op\nrevision = "y"\ndown_revision = "x"\n\ndef upgrade():\n    op.drop_column(get_table(), *columns())\n    op.execute(f"DROP TABLE {name}")\n'
    )
    (tmp_path / "good.sql").write_text("ALTER TABLE users DROP COLUMN a;\n")
    # Application code that is not a revision is none of the linter's business, readable or not.
    (tmp_path / "legacy_app.py").write_bytes(
        "# -*- coding: latin-1 -*-\nNAME = 'caf\xe9'\n".encode("latin-1")
    )
    code, findings, _ = lint(tmp_path)
    by_file = {}
    for f in findings:
        by_file.setdefault(Path(f["path"]).name, []).append((f["name"], f["line"]))
    assert by_file["syntax.sql"] == [("syntax-error", 2)]
    assert by_file["latin1.sql"] == [("syntax-error", 1)]
    assert by_file["binary.sql"] == [("syntax-error", 1)]
    assert "empty.sql" not in by_file and "legacy_app.py" not in by_file
    assert by_file["unterminated.sql"][0][0] == "syntax-error"
    assert by_file["broken.py"] == [("syntax-error", 4)]
    assert ("drop-column", 6) in by_file["computed.py"] and ("unrecognized-statement", 7) in by_file[
        "computed.py"
    ]
    assert ("drop-column", 1) in by_file["good.sql"]
    assert code == 1
    messages = {Path(f["path"]).name: f["message"] for f in findings if f["name"] == "syntax-error"}
    assert "UTF-8" in messages["latin1.sql"] and "binary" in messages["binary.sql"]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    code, _, stderr = lint(tmp_path / "nope")
    assert code == 2 and "nope" in stderr


def test_large_file(tmp_path: Path) -> None:
    big = tmp_path / "big.sql"
    statement = "INSERT INTO events (id, payload) VALUES (1, 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');\n"
    repeats = 10 * 1024 * 1024 // len(statement)
    big.write_text(statement * repeats + "DROP TABLE legacy;\n")
    code, findings, _ = lint(big, "--select", "RS5")
    assert [f["name"] for f in findings] == ["drop-table"]
    assert findings[0]["line"] == repeats + 1


def test_folder_with_thousands_of_files(tmp_path: Path) -> None:
    for i in range(5000):
        (tmp_path / f"{i:05}.sql").write_text(
            f"ALTER TABLE t{i} ADD COLUMN c int;\n" if i != 4321 else "DROP TABLE t;\n"
        )
    code, findings, _ = lint(tmp_path, "--select", "RS512")
    assert [(Path(f["path"]).name, f["name"]) for f in findings] == [("04321.sql", "drop-table")]
