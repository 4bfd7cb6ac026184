"""Row comparison after a downgrade: lost rows, lost columns, changed and emptied values."""

from __future__ import annotations

import sqlalchemy as sa

from pytest_releasesafe.verify.data_compare import lost_data

USERS = sa.Table(
    "users", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(20))
)
EVENTS = sa.Table("events", sa.MetaData(), sa.Column("kind", sa.String(10)), sa.Column("payload", sa.JSON))
BEFORE = [{"id": 1, "name": "ada"}, {"id": 2, "name": "bob"}]


def test_unchanged_rows_are_no_finding() -> None:
    assert lost_data(USERS, BEFORE, list(reversed(BEFORE)), "4e40", {"id", "name"}) == []


def test_emptied_column_says_it_came_back_empty() -> None:
    after = [{"id": 1, "name": ""}, {"id": 2, "name": ""}]
    [message] = lost_data(USERS, BEFORE, after, "4e40", {"id", "name"})
    assert message.startswith("downgrade() of 4e40 loses data in users.name: 2 of 2 values changed")
    assert "(e.g. id=1: 'ada' -> '')" in message
    assert "the column comes back empty, as if dropped and re-added" in message


def test_changed_values_without_emptying_are_plain_changes() -> None:
    after = [{"id": 1, "name": "ADA"}, {"id": 2, "name": "bob"}]
    [message] = lost_data(USERS, BEFORE, after, "9f00", {"id", "name"})
    assert "1 of 2 values changed (e.g. id=1: 'ada' -> 'ADA')" in message
    assert "comes back empty" not in message


def test_lost_rows_columns_and_tables() -> None:
    assert lost_data(USERS, BEFORE, [{"id": 2, "name": "bob"}], "9f00", {"id", "name"}) == [
        "downgrade() of 9f00 loses 1 of 2 rows of users (e.g. {'id': 1})"
    ]
    assert lost_data(USERS, BEFORE, [{"id": 1}, {"id": 2}], "9f00", {"id"}) == [
        "downgrade() of 9f00 loses column users.name and its values"
    ]
    assert lost_data(USERS, BEFORE, None, "9f00", None) == [
        "downgrade() of 9f00 loses table users and its 2 rows"
    ]


def test_tables_without_primary_key_compare_as_multisets_json_included() -> None:
    before = [{"kind": "a", "payload": {"n": 1}}, {"kind": "a", "payload": {"n": 1}}]
    assert lost_data(EVENTS, before, list(before), "9f00", {"kind", "payload"}) == []
    assert lost_data(EVENTS, before, before[:1], "9f00", {"kind", "payload"}) == [
        "downgrade() of 9f00 loses 1 of 2 rows of events"
    ]
