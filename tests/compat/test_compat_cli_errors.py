"""Bad input: a clear error, exit 2, and no worktree or database left behind."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result
from compat_helpers import EXAMPLE, commit_all, git, worktrees

from pytest_releasesafe.cli import main


def run_compat(repo: Path, base: str, database: str = "postgresql") -> Result:
    args = ["compat", "--base", base, "--project", str(repo), "--database", database]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def assert_usage_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


def test_unknown_ref(make_repo: Callable[..., Path]) -> None:
    repo = make_repo("nullable_column")
    result = run_compat(repo, "v9")
    assert_usage_error(result, "--base 'v9': no such tag, branch or commit")
    assert worktrees(repo) == [f"worktree {repo}"]


def test_not_a_git_checkout(tmp_path: Path) -> None:
    project = tmp_path / "plain"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("releases", "tests"))
    assert_usage_error(run_compat(project, "v1"), "is not inside a git checkout")


def test_no_alembic_config_in_the_current_tree(make_repo: Callable[..., Path]) -> None:
    repo = make_repo("nullable_column")
    (repo / "alembic.ini").unlink()
    assert_usage_error(run_compat(repo, "v1"), "the current tree has no Alembic config at alembic.ini")


def test_no_models_setting(make_repo: Callable[..., Path], postgres_url: str) -> None:
    repo = make_repo("nullable_column")
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('models = "app.models:Base.metadata"\n', ""))
    commit_all(repo, "forget the models setting", tag="v1b")
    assert_usage_error(run_compat(repo, "v1b", postgres_url), "set [tool.releasesafe] models")
    assert worktrees(repo) == [f"worktree {repo}"]


def test_base_without_alembic_config(tmp_path: Path, postgres_url: str) -> None:
    repo = tmp_path / "shop"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns("releases", "tests", "alembic.ini"))
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "release 1 without migrations", tag="v1")
    shutil.copy(EXAMPLE / "alembic.ini", repo / "alembic.ini")
    commit_all(repo, "release 2 adds migrations")

    assert_usage_error(run_compat(repo, "v1", postgres_url), "the base release v1 has no Alembic config")
    assert worktrees(repo) == [f"worktree {repo}"]


def test_old_models_that_fail_to_import(tmp_path: Path, postgres_url: str) -> None:
    repo = tmp_path / "shop"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns("releases", "tests"))
    models = repo / "app" / "models.py"
    good = models.read_text()
    models.write_text(good.replace("import decimal\n", "import decimal\n\nimport shop_missing_dependency\n"))
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "release 1 (broken import)", tag="v1")
    models.write_text(good)
    commit_all(repo, "release 2")

    result = run_compat(repo, "v1", postgres_url)
    assert_usage_error(
        result,
        "importing the models of v1 (app.models:Base.metadata) failed",
        "ModuleNotFoundError: No module named 'shop_missing_dependency'",
        "app/models.py:7: import shop_missing_dependency",
    )
    assert len(result.stderr.splitlines()) < 20, "the excerpt should be short"
    assert worktrees(repo) == [f"worktree {repo}"]


def test_base_head_not_an_ancestor(make_repo: Callable[..., Path], postgres_url: str) -> None:
    repo = make_repo("drop_column")
    git(repo, "checkout", "-q", "v1")  # the current tree is older than the base
    assert_usage_error(
        run_compat(repo, "v2", postgres_url),
        "the migration head of v2 (0002) is not an ancestor of the current head (0001)",
    )
    assert worktrees(repo) == [f"worktree {repo}"]


def test_worktree_cannot_be_created(make_repo: Callable[..., Path], postgres_url: str) -> None:
    repo = make_repo("nullable_column")
    shutil.rmtree(repo / ".git" / "worktrees", ignore_errors=True)
    (repo / ".git" / "worktrees").write_text("a file where git keeps its worktrees\n")
    assert_usage_error(run_compat(repo, "v1", postgres_url), "cannot check out v1 into a worktree")


def test_failing_migration_leaves_nothing_behind(make_repo: Callable[..., Path], database_url: str) -> None:
    repo = make_repo(None)
    (repo / "migrations" / "versions" / "0002_broken.py").write_text(
        '"""broken"""\n\nfrom alembic import op\n\nrevision = "0002"\ndown_revision = "0001"\n\n\n'
        'def upgrade() -> None:\n    op.execute("SELECT * FROM no_such_table")\n'
    )
    commit_all(repo, "release 2 with a broken migration")

    result = run_compat(repo, "v1", database_url)
    assert_usage_error(result, "applying revision 0002 failed", "no_such_table")
    assert worktrees(repo) == [f"worktree {repo}"]
    # database_url checks that both compat databases were dropped


def test_bad_database_setting(make_repo: Callable[..., Path]) -> None:
    repo = make_repo("nullable_column")
    assert_usage_error(run_compat(repo, "v1", "oracle"), "unknown database 'oracle'")
