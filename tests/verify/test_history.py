"""History checks read revision files statically: ids, parents, heads, irreversible downgrades."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_releasesafe.verify.history import history_problems, read_history, read_revision_file


def revision_file(directory: Path, revision: str, down: str | None | tuple[str, ...], downgrade: str) -> Path:
    path = directory / f"{revision}_rev.py"
    path.write_text(
        f'"""rev {revision}"""\n'
        "from alembic import op\n\n"
        f"revision = {revision!r}\n"
        f"down_revision = {down!r}\n\n"
        "def upgrade():\n    op.execute('SELECT 1')\n\n"
        f"def downgrade():\n{downgrade}\n"
    )
    return path


REVERSIBLE = "    op.execute('SELECT 2')"


def test_linear_history_has_no_problems(tmp_path: Path) -> None:
    revision_file(tmp_path, "a1", None, REVERSIBLE)
    revision_file(tmp_path, "b2", "a1", REVERSIBLE)
    assert history_problems(read_history([tmp_path])) == []


def test_two_heads_are_reported_with_their_files(tmp_path: Path) -> None:
    revision_file(tmp_path, "a1", None, REVERSIBLE)
    revision_file(tmp_path, "b2", "a1", REVERSIBLE)
    revision_file(tmp_path, "c3", "a1", REVERSIBLE)
    [problem] = history_problems(read_history([tmp_path]))
    assert "2 heads: b2 (b2_rev.py), c3 (c3_rev.py)" in problem.message
    assert "alembic merge heads" in problem.message


def test_configured_heads_allow_a_branched_history(tmp_path: Path) -> None:
    revision_file(tmp_path, "a1", None, REVERSIBLE)
    revision_file(tmp_path, "b2", "a1", REVERSIBLE)
    revision_file(tmp_path, "c3", "a1", REVERSIBLE)
    assert history_problems(read_history([tmp_path]), expected_heads=("c3", "b2")) == []
    [problem] = history_problems(read_history([tmp_path]), expected_heads=("b2",))
    assert problem.message == "heads are b2, c3; expected b2"


def test_merge_revision_closes_the_branches(tmp_path: Path) -> None:
    revision_file(tmp_path, "a1", None, REVERSIBLE)
    revision_file(tmp_path, "b2", "a1", REVERSIBLE)
    revision_file(tmp_path, "c3", "a1", REVERSIBLE)
    revision_file(tmp_path, "d4", ("b2", "c3"), REVERSIBLE)
    assert history_problems(read_history([tmp_path])) == []


def test_duplicate_ids_and_missing_parents_name_the_files(tmp_path: Path) -> None:
    revision_file(tmp_path, "a1", None, REVERSIBLE)
    first = revision_file(tmp_path, "b2", "a1", REVERSIBLE)
    twin = tmp_path / "zz_copy.py"
    twin.write_text(first.read_text())
    orphan = revision_file(tmp_path, "c3", "gone", REVERSIBLE)
    messages = {str(problem) for problem in history_problems(read_history([tmp_path]))}
    assert f"{first}:4: duplicate revision id 'b2': also in {twin}" in messages
    assert f"{orphan}:4: revision c3 names down_revision 'gone', which no revision file defines" in messages


def test_unreadable_revision_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    revision_file(tmp_path, "a1", None, REVERSIBLE)
    broken = tmp_path / "b2_broken.py"
    broken.write_text("revision = 'b2'\ndown_revision = 'a1'\ndef upgrade(:\n")
    [problem] = history_problems(read_history([tmp_path]))
    assert problem.path == broken and problem.line == 3
    assert "cannot parse" in problem.message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("    pass", "pass"),
        ("    '''Nothing to undo.'''\n    pass", "pass"),
        ("    ...", "pass"),
        ("    raise NotImplementedError()", "raise NotImplementedError"),
        ("    raise NotImplementedError", "raise NotImplementedError"),
        (REVERSIBLE, ""),
        ("    if False:\n        pass\n    op.drop_table('x')", ""),
    ],
)
def test_irreversible_downgrades_are_recognised(tmp_path: Path, body: str, expected: str) -> None:
    path = revision_file(tmp_path, "a1", None, body)
    facts = read_revision_file(path)
    assert facts.irreversible == expected
    assert facts.downgrade_line == 10


def test_missing_downgrade_is_irreversible(tmp_path: Path) -> None:
    path = tmp_path / "a1.py"
    path.write_text("revision = 'a1'\ndown_revision = None\ndef upgrade():\n    pass\n")
    assert read_revision_file(path).irreversible == "missing"
