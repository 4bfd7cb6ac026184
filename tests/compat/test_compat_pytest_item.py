"""The pytest item releasesafe::compat, run by pytest itself on the example app (pytester)."""

from __future__ import annotations

from pathlib import Path

# pytester's in-process runs unload modules first imported inside them; drivers imported here stay
# loaded, so SQLAlchemy keeps recognising their exceptions from one run to the next.
import psycopg  # noqa: F401
import pymysql  # noqa: F401
import pytest
from compat_helpers import build_history, git, worktrees


@pytest.fixture
def shop(pytester: pytest.Pytester) -> Path:
    return pytester.path / "shop"


def run_in(pytester: pytest.Pytester, repo: Path, *args: str) -> pytest.RunResult:
    """Run pytest from the project's root, as its CI would."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repo)
        return pytester.runpytest("-p", "no:cacheprovider", *args)


def test_incompatible_release_fails_the_item(
    pytester: pytest.Pytester, shop: Path, database_url: str
) -> None:
    build_history(shop, "rename_column")

    result = run_in(pytester, shop, "--releasesafe-compat-base=v1", f"--releasesafe-database={database_url}")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*releasesafe::compat (base v1)*",
            "INCOMPATIBLE: *",
            "users.email  (old model attribute User.email)",
            "  missing-column: * (renamed to users.email_address?)",
            "  revision: 0002 (rename users.email to email_address) in */0002_rename_email.py",
            "FAILED releasesafe::compat*",
        ]
    )
    assert worktrees(shop) == [f"worktree {shop}"]


def test_compatible_release_passes_with_the_ini_setting(
    pytester: pytest.Pytester, shop: Path, postgres_url: str
) -> None:
    build_history(shop, "expand_rename")
    pyproject = shop / "pyproject.toml"
    settings = pyproject.read_text().replace(
        "[tool.pytest.ini_options]\n", '[tool.pytest.ini_options]\nreleasesafe_compat_base = "v1"\n'
    )
    assert "releasesafe_compat_base" in settings
    pyproject.write_text(settings)

    result = run_in(pytester, shop, f"--releasesafe-database={postgres_url}", "-v")

    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["releasesafe::compat PASSED*"])


def test_no_base_no_item(pytester: pytest.Pytester, shop: Path) -> None:
    build_history(shop, "rename_column")

    result = run_in(pytester, shop)

    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.stdout.no_fnmatch_line("*releasesafe::compat*")


def test_bad_base_fails_with_the_reason(pytester: pytest.Pytester, shop: Path) -> None:
    build_history(shop, "rename_column")

    result = run_in(pytester, shop, "--releasesafe-compat-base=v9")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["releasesafe compat could not run: --base 'v9': no such tag, branch or commit*"]
    )


def test_unreachable_database_skips_with_the_reason(pytester: pytest.Pytester, shop: Path) -> None:
    build_history(shop, "nullable_column")
    unreachable = "postgresql://postgres@127.0.0.1:9/postgres"

    result = run_in(
        pytester, shop, "--releasesafe-compat-base=v1", f"--releasesafe-database={unreachable}", "-rs"
    )

    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*releasesafe compat: no database server: cannot connect to *127.0.0.1:9*"])
    assert worktrees(shop) == [f"worktree {shop}"]


def test_deselected_with_k(pytester: pytest.Pytester, shop: Path) -> None:
    build_history(shop, "rename_column")

    result = run_in(pytester, shop, "--releasesafe-compat-base=v1", "-k", "not compat")

    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.assert_outcomes(deselected=1)


@pytest.mark.parametrize(
    ("release_2", "outcome"), [("rename_column", "failed"), ("nullable_column", "passed")]
)
def test_old_test_suite_against_the_new_migrations(
    pytester: pytest.Pytester, shop: Path, postgres_url: str, release_2: str, outcome: str
) -> None:
    """--releasesafe-schema-from: the old release's own tests, on the schema the new migrations build."""
    build_history(shop, release_2, with_tests=True)
    old = pytester.path / "previous"
    git(shop, "worktree", "add", "--detach", "--quiet", str(old), "v1")

    result = run_in(
        pytester,
        old,
        f"--releasesafe-database={postgres_url}",
        f"--releasesafe-schema-from={shop / 'migrations'}",
    )

    result.assert_outcomes(**{outcome: 1})
    if outcome == "failed":
        result.stdout.fnmatch_lines(['*column "email" of relation "users" does not exist*'])
