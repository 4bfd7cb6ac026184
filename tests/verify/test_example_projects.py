"""The example projects under examples/alembic_roundtrip, run by pytest on real Postgres and MariaDB:
exactly the broken revisions fail, each with its message, and the clean project passes (SQLite too)."""

from __future__ import annotations

import pytest
from verify_helpers import copy_example, run_items

BROKEN_FAILURES = {
    "releasesafe::stairway[2c20_add_audit_log]": [
        "downgrade() of 2c20 does not drop table audit_log created by upgrade()",
        "op.drop_table('audit_log')",
    ],
    "releasesafe::stairway[3d30_email_not_null]": [
        "users.email stays NOT NULL after downgrade of 3d30",
        "op.alter_column('users', 'email', nullable=True)",
    ],
    "releasesafe::data[4e40_rename_name]": [
        "downgrade() of 4e40 loses data in users.name: 3 of 3 values changed",
        "the column comes back empty, as if dropped and re-added",
    ],
    "releasesafe::drift": ["column users.phone (VARCHAR(30)) is in the models but no migration adds it"],
}

ALL_ITEMS = {
    "releasesafe::history",
    "releasesafe::upgrade",
    *(
        f"releasesafe::{check}[{label}]"
        for check in ("stairway", "data")
        for label in (
            "0a00_legacy_baseline",
            "1b10_create_users",
            "2c20_add_audit_log",
            "3d30_email_not_null",
            "4e40_rename_name",
            "5f50_create_orders",
        )
    ),
    "releasesafe::drift",
}


def test_broken_project_fails_exactly_the_broken_revisions(pytester: pytest.Pytester, server: object) -> None:
    copy_example(pytester, "broken")
    outcome = run_items(pytester, server)
    assert set(outcome.failed) == set(BROKEN_FAILURES)
    for nodeid, fragments in BROKEN_FAILURES.items():
        for fragment in fragments:
            assert fragment in outcome.failed[nodeid], (nodeid, outcome.failed[nodeid])
    # The baseline is below the floor: its downgrade is not required, its data check is skipped.
    assert set(outcome.skipped) == {"releasesafe::data[0a00_legacy_baseline]"}
    assert set(outcome.passed) == ALL_ITEMS - set(BROKEN_FAILURES) - set(outcome.skipped)


def test_clean_project_passes(pytester: pytest.Pytester, server: object) -> None:
    copy_example(pytester, "clean")
    outcome = run_items(pytester, server)
    assert outcome.failed == {}
    assert set(outcome.passed) == ALL_ITEMS - {"releasesafe::data[0a00_legacy_baseline]"}


def test_without_floor_the_irreversible_baseline_fails(pytester: pytest.Pytester, postgres: object) -> None:
    copy_example(pytester, "clean")
    outcome = run_items(pytester, postgres, "-o", "releasesafe_floor=", "-k", "0a00")
    assert list(outcome.failed) == ["releasesafe::stairway[0a00_legacy_baseline]"]
    message = outcome.failed["releasesafe::stairway[0a00_legacy_baseline]"]
    assert "0a00_legacy_baseline.py:" in message
    assert "revision 0a00 is irreversible (downgrade() is `raise NotImplementedError`)" in message
    assert "set releasesafe_floor = 0a00" in message
