"""Generated rows: parents first, foreign keys into parent rows, distinct values, listed values."""

from __future__ import annotations

import sqlalchemy as sa

from pytest_releasesafe.verify.rows import generate_rows


def test_rows_fill_every_column_and_follow_foreign_keys() -> None:
    metadata = sa.MetaData()
    users = sa.Table(
        "users",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(12), nullable=False, unique=True),
        sa.Column("state", sa.String(10), sa.CheckConstraint("state IN ('new', 'old')")),
        sa.Column("mood", sa.Enum("calm", "busy", name="mood")),
        sa.Column("balance", sa.Numeric(10, 2)),
        sa.Column("total", sa.Integer, sa.Computed("id * 2")),
    )
    orders = sa.Table(
        "orders",
        metadata,
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("user_id", sa.ForeignKey("users.id"), nullable=False),
        sa.Column("parent_id", sa.ForeignKey("orders.id")),
        sa.Column("placed_at", sa.DateTime),
        sa.Column("extra", sa.JSON),
    )
    batches, skipped = generate_rows(metadata.sorted_tables)
    assert skipped == []
    rows = {batch.table.name: batch.rows for batch in batches}
    assert [batch.table for batch in batches] == [users, orders]
    assert len({row["email"] for row in rows["users"]}) == 3
    assert all(len(row["email"]) <= 12 for row in rows["users"])
    assert [row["state"] for row in rows["users"]] == ["new", "old", "new"]
    assert [row["mood"] for row in rows["users"]] == ["calm", "busy", "calm"]
    assert all(row["balance"] > 0 for row in rows["users"])
    assert "total" not in rows["users"][0]  # computed by the server
    user_ids = {row["id"] for row in rows["users"]}
    assert {row["user_id"] for row in rows["orders"]} == user_ids
    assert [row["parent_id"] for row in rows["orders"]] == [row["id"] for row in rows["orders"]]


def test_a_required_column_of_unknown_type_leaves_its_table_unseeded() -> None:
    metadata = sa.MetaData()
    sa.Table(
        "blobs",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("x", sa.types.NullType(), nullable=False),
    )
    sa.Table(
        "notes", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.types.NullType())
    )
    batches, skipped = generate_rows(metadata.sorted_tables)
    assert [batch.table.name for batch in batches] == ["notes"]
    assert batches[0].rows[0]["x"] is None
    assert skipped == ["blobs.x: no value can be generated for type NULL"]
