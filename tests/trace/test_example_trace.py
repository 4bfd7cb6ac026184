"""The lock behaviour PostgreSQL documents, observed on examples/trace_project with 1,000 seeded rows."""

from __future__ import annotations

from typing import Any

from trace_helpers import by_sql, modes


def test_every_revision_of_the_example_is_traced_without_failure(example_trace: Any) -> None:
    assert [revision.id for revision in example_trace.revisions] == [f"000{n}" for n in range(1, 8)]
    assert example_trace.failure is None
    assert example_trace.warnings == []


def test_creating_tables_blocks_nothing(example_trace: Any) -> None:
    created = example_trace.for_revision("0001")
    assert len(created) == 2
    assert all(statement.blocks is None for statement in created)
    assert "AccessExclusiveLock" in modes(created[0], "accounts")


def test_alter_column_type_int_to_bigint_rewrites_and_blocks_reads(example_trace: Any) -> None:
    statement = by_sql(example_trace, "ALTER COLUMN total TYPE BIGINT")
    assert "orders" in statement.rewrites
    assert "AccessExclusiveLock" in modes(statement, "orders")
    assert statement.blocks == "reads"


def test_create_index_takes_share_lock_blocks_writes_without_rewrite(example_trace: Any) -> None:
    statement = by_sql(example_trace, "CREATE INDEX ix_orders_account_id")
    assert "ShareLock" in modes(statement, "orders")
    assert "AccessExclusiveLock" not in modes(statement, "orders")
    assert "orders" not in statement.rewrites
    assert statement.blocks == "writes"


def test_create_index_concurrently_in_autocommit_block_blocks_neither(example_trace: Any) -> None:
    statement = by_sql(example_trace, "CREATE INDEX CONCURRENTLY")
    # Outside a transaction: only a second connection can see this lock while the index builds.
    assert modes(statement, "accounts") == {"ShareUpdateExclusiveLock"}
    assert statement.rewrites == ()
    assert statement.blocks is None


def test_add_nullable_column_takes_access_exclusive_without_rewrite(example_trace: Any) -> None:
    statement = by_sql(example_trace, "ADD COLUMN referrer")
    assert "AccessExclusiveLock" in modes(statement, "accounts")
    assert statement.rewrites == ()
    assert statement.blocks == "reads"


def test_set_not_null_takes_access_exclusive_without_rewrite(example_trace: Any) -> None:
    statement = by_sql(example_trace, "SET NOT NULL")
    assert "AccessExclusiveLock" in modes(statement, "accounts")
    assert statement.rewrites == ()
    assert statement.blocks == "reads"


def test_add_foreign_key_takes_share_row_exclusive_on_both_tables(example_trace: Any) -> None:
    statement = by_sql(example_trace, "FOREIGN KEY")
    assert "ShareRowExclusiveLock" in modes(statement, "orders")
    assert "ShareRowExclusiveLock" in modes(statement, "accounts")
    assert statement.blocks == "writes"


def test_json_objects_have_exactly_the_documented_fields(example_trace: Any) -> None:
    for item in example_trace.to_json_list():
        assert list(item) == ["revision", "sql", "duration_ms", "locks", "rewrites", "blocks", "lock_timeout"]
        assert item["duration_ms"] >= 0
        assert item["lock_timeout"] is None
        for lock in item["locks"]:
            assert list(lock) == ["relation", "kind", "mode"]
