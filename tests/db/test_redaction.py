"""No database password reaches pytest output: skip reasons, errors, the header, captured logs."""

from __future__ import annotations

import textwrap

import pytest

from pytest_releasesafe.redact import redact

SECRET = "hunter2-s3cret"

THREE_TESTS = textwrap.dedent(
    """
    def test_one(releasesafe_database):
        pass

    def test_two(releasesafe_database):
        pass

    def test_three(releasesafe_database):
        pass
    """
)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (f"postgresql://app:{SECRET}@db:5432/app", "postgresql://app:***@db:5432/app"),
        (f"mysql+pymysql://root:{SECRET}@127.0.0.1/test", "mysql+pymysql://root:***@127.0.0.1/test"),
        (f"mariadb://root:p@{SECRET}@h/test", "mariadb://root:***@h/test"),  # a raw @ in the password
        (f"host=db user=app password={SECRET} dbname=app", "host=db user=app password=*** dbname=app"),
        (f"password='{SECRET} x' dbname=app", "password=*** dbname=app"),
        (
            f"postgresql://db/app?user=app&password={SECRET}&x=1",
            "postgresql://db/app?user=app&password=***&x=1",
        ),
        ("postgresql://app@db/app", "postgresql://app@db/app"),
        (
            "Access denied for user 'root'@'localhost' (using password: YES)",
            "Access denied for user 'root'@'localhost' (using password: YES)",
        ),
    ],
)
def test_redact_hides_url_and_dsn_passwords_only(text: str, shown: str) -> None:
    assert redact(text) == shown


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://postgres:{SECRET}@127.0.0.1:1/postgres",  # nothing listens on port 1
        f"mysql://root:{SECRET}@127.0.0.1:1/test",
        f"mysql://root:{SECRET}@127.0.0.1:3306/test",  # MariaDB is there; root has no such password
    ],
)
def test_unreachable_database_url_password_never_reaches_pytest_output(
    pytester: pytest.Pytester, url: str
) -> None:
    pytester.makepyfile(test_three=THREE_TESTS)
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-ra", "-v", f"--releasesafe-database={url}"
    )
    output = result.stdout.str() + result.stderr.str()
    assert SECRET not in output
    assert "releasesafe database: " in output and ":***@" in output  # the header still names the server
    result.assert_outcomes(skipped=3)
    # The reason is given once, with a count, not once per test.
    skip_lines = [line for line in result.stdout.lines if line.startswith("SKIPPED [")]
    assert len(skip_lines) == 1 and skip_lines[0].startswith("SKIPPED [3] "), skip_lines


def test_password_in_a_live_url_is_redacted_in_captured_logs_and_failures(
    pytester: pytest.Pytester, postgres_by_url: object
) -> None:
    # Trust authentication accepts any password, so the session really connects with this URL.
    url = f"postgresql://postgres:{SECRET}@127.0.0.1:5432/postgres"
    pytester.makepyfile(
        test_logs=textwrap.dedent(
            """
            import logging

            def test_logs_its_url_then_fails(releasesafe_database):
                logging.getLogger("app").warning("connecting to %s", releasesafe_database.url)
                assert releasesafe_database.url.startswith("postgresql")
                raise AssertionError("boom")
            """
        )
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-ra", f"--releasesafe-database={url}")
    result.assert_outcomes(failed=1)
    output = result.stdout.str() + result.stderr.str()
    assert "connecting to postgresql+psycopg://postgres:***@127.0.0.1:5432/" in output
    assert SECRET not in output


def test_bad_database_setting_error_hides_the_password(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_three=THREE_TESTS)
    result = pytester.runpytest_subprocess(f"--releasesafe-database=oracle://scott:{SECRET}@db/orcl")
    output = result.stdout.str() + result.stderr.str()
    assert result.ret != 0 and "unsupported database URL" in output
    assert SECRET not in output
