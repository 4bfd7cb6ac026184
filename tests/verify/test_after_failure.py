"""After a failed check the lane goes on from the last good state, not from the first revision:
on Postgres the failed check is rolled back; on MariaDB/MySQL and SQLite (DDL not rolled back
here) the lane continues on a clone of its standby. Proved by counting how often each revision's
upgrade() runs, on a history shaped like real ones with three broken revisions."""

from __future__ import annotations

from collections import Counter

import pytest
from test_real_histories import project, revision
from verify_helpers import run_items

# Each upgrade() notes its revision in upgrades.log next to alembic.ini.
LOG = "open(__import__('pathlib').Path(__file__).parents[2] / 'upgrades.log', 'a').write(revision + '\\n')"

# (revision, upgrade, downgrade); the broken ones leave what they added behind.
HISTORY = [
    (
        "a1",
        "op.create_table('users', sa.Column('id', sa.Integer, primary_key=True),"
        " sa.Column('email', sa.String(80), nullable=False))",
        "op.drop_table('users')",
    ),
    ("b2", "op.add_column('users', sa.Column('note', sa.String(40)))", "pass"),
    (
        "c3",
        "op.create_table('orders', sa.Column('id', sa.Integer, primary_key=True),"
        " sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id')), sa.Column('total', sa.Numeric(10, 2)))",
        "op.drop_table('orders')",
    ),
    ("d4", "op.create_index('ix_orders_total', 'orders', ['total'])", "pass"),
    (
        "e5",
        "with op.batch_alter_table('users') as batch:\n"
        "    batch.create_unique_constraint('uq_users_email', ['email'])",
        "with op.batch_alter_table('users') as batch:\n"
        "    batch.drop_constraint('uq_users_email', type_='unique')",
    ),
    ("f6", "op.add_column('orders', sa.Column('shipped', sa.Boolean()))", "pass"),
    (
        "g7",
        "op.add_column('users', sa.Column('active', sa.Boolean(), nullable=True))",
        "op.drop_column('users', 'active')",
    ),
]
BROKEN = {"b2", "d4", "f6"}


@pytest.mark.parametrize("checks", ["stairway", "stairway, data"])
def test_a_failed_revision_does_not_send_later_checks_back_to_the_first_revision(
    pytester: pytest.Pytester, server: object, checks: str
) -> None:
    versions = project(pytester, f"releasesafe_checks = {checks}\n")
    down = None
    for rev, upgrade, downgrade in HISTORY:
        revision(versions, rev, down, f"{LOG}\n{upgrade}", downgrade)
        down = rev
    outcome = run_items(pytester, server)

    failed = {node.partition("[")[2][:2] for node in outcome.failed if "stairway[" in node}
    assert failed == BROKEN, outcome.failed
    for rev, _, _ in HISTORY:
        if rev not in BROKEN:
            assert f"releasesafe::stairway[{rev}_step]" in outcome.passed
    runs = Counter((pytester.path / "upgrades.log").read_text().split())
    # A revision that passes runs upgrade() twice in its own stairway (up, then up again after
    # the downgrade), and at most once more where the lane keeps a standby copy. Rebuilding
    # from the first revision after each of the three failures would run a1's three times more.
    # (A broken revision's own upgrade() runs in each check of it and again on the way up.)
    assert {rev: runs[rev] for rev, _, _ in HISTORY if rev not in BROKEN and runs[rev] > 3} == {}, runs


@pytest.mark.parametrize("procedure_first", [True, False], ids=["before-the-copy", "after-the-copy"])
def test_a_standby_copy_without_the_stored_routines_is_not_used(
    pytester: pytest.Pytester, verify_servers: dict[str, object], procedure_first: bool
) -> None:
    """MySQL/MariaDB copies leave stored routines out: continuing on such a copy would fail c3
    (its upgrade drops the procedure a1 made) although the history is fine there. The procedure
    exists either before the standby is made (at the first passed revision) or only after."""
    from verify_helpers import server_or_skip

    server = server_or_skip(verify_servers, "mysql")
    versions = project(pytester, "releasesafe_checks = stairway\n")
    if not procedure_first:
        revision(
            versions,
            "a0",
            None,
            "op.create_table('u', sa.Column('id', sa.Integer, primary_key=True))",
            "op.drop_table('u')",
        )
    revision(
        versions,
        "a1",
        None if procedure_first else "a0",
        "op.execute('CREATE PROCEDURE releasesafe_p() SELECT 1')",
        "op.execute('DROP PROCEDURE releasesafe_p')",
    )
    revision(
        versions, "b2", "a1", "op.create_table('t', sa.Column('id', sa.Integer, primary_key=True))", "pass"
    )
    revision(
        versions,
        "c3",
        "b2",
        "op.execute('DROP PROCEDURE releasesafe_p')",
        "op.execute('CREATE PROCEDURE releasesafe_p() SELECT 1')",
    )
    outcome = run_items(pytester, server)
    assert set(outcome.failed) == {"releasesafe::stairway[b2_step]"}, outcome.failed
    assert "releasesafe::stairway[c3_step]" in outcome.passed
