"""Snapshots of the user-visible reports, rendered from fixed trace records."""

from __future__ import annotations

import json
import textwrap

from pytest_releasesafe.verify.trace.model import (
    Lock,
    RevisionInfo,
    StatementTrace,
    TraceFailure,
    TraceResult,
)
from pytest_releasesafe.verify.trace.report import render

SUMMARY = (
    "3 revisions traced with 1,000 rows per existing table: "
    "1 of 2 statements block reads or writes of tables that existed before their revision."
)
ROW_1 = (
    "| `CREATE TABLE items ( id SERIAL NOT NULL )` | 1.2 ms "
    "| items: AccessExclusiveLock<br>items_id_seq: RowExclusiveLock | none | no | none |"
)
ROW_2 = (
    "| `CREATE INDEX ix_items_code ON items (code)` | 12.5 ms "
    "| ix_items_code: AccessExclusiveLock<br>items: ShareLock | none | **blocks writes** | 3000 ms |"
)


def sample() -> TraceResult:
    return TraceResult(
        revisions=[
            RevisionInfo("0001", "create items", "versions/0001.py"),
            RevisionInfo("0002", "index items.code", "versions/0002.py"),
            RevisionInfo("0003", "nothing to do", "versions/0003.py"),
        ],
        statements=[
            StatementTrace(
                "0001",
                "CREATE TABLE items (\n\tid SERIAL NOT NULL\n)",
                1.234,
                (
                    Lock("items", "table", "AccessExclusiveLock"),
                    Lock("items_id_seq", "sequence", "RowExclusiveLock"),
                ),
                (),
                None,
                None,
            ),
            StatementTrace(
                "0002",
                "CREATE INDEX ix_items_code ON items (code)",
                12.5,
                (Lock("ix_items_code", "index", "AccessExclusiveLock"), Lock("items", "table", "ShareLock")),
                (),
                "writes",
                3000,
                blocked_tables=("items",),
            ),
        ],
        warnings=["table audit was not seeded: new row violates check constraint"],
        rows=1000,
    )


def test_text_report() -> None:
    assert render(sample(), "text") == textwrap.dedent(
        """\
        0001  create items
          CREATE TABLE items ( id SERIAL NOT NULL )
              1.2 ms, lock_timeout none
              locks: items AccessExclusiveLock, items_id_seq RowExclusiveLock (sequence)

        0002  index items.code
          CREATE INDEX ix_items_code ON items (code)
              12.5 ms, lock_timeout 3000 ms
              locks: ix_items_code AccessExclusiveLock (index), items ShareLock
              BLOCKS WRITES of items

        0003  nothing to do
            (no statements)

        warning: table audit was not seeded: new row violates check constraint
        {SUMMARY}
        """
    ).format(SUMMARY=SUMMARY)


def test_markdown_report() -> None:
    result = sample()
    result.failure = TraceFailure("0003", "SELECT 1/0", "DivisionByZero: division by zero")
    assert render(result, "markdown") == textwrap.dedent(
        """\
        ## Migration lock trace

        {SUMMARY}

        > warning: table audit was not seeded: new row violates check constraint
        > error: revision 0003 failed at: SELECT 1/0: DivisionByZero: division by zero

        ### `0001` create items

        | Statement | Time | Strongest locks | Rewrites | Blocks | lock_timeout |
        |---|---:|---|---|---|---|
        {ROW_1}

        ### `0002` index items.code

        | Statement | Time | Strongest locks | Rewrites | Blocks | lock_timeout |
        |---|---:|---|---|---|---|
        {ROW_2}

        ### `0003` nothing to do

        _No statements._
        """
    ).format(SUMMARY=SUMMARY, ROW_1=ROW_1, ROW_2=ROW_2)


def test_json_report() -> None:
    assert json.loads(render(sample(), "json"))[1] == {
        "revision": "0002",
        "sql": "CREATE INDEX ix_items_code ON items (code)",
        "duration_ms": 12.5,
        "locks": [
            {"relation": "ix_items_code", "kind": "index", "mode": "AccessExclusiveLock"},
            {"relation": "items", "kind": "table", "mode": "ShareLock"},
        ],
        "rewrites": [],
        "blocks": "writes",
        "lock_timeout": 3000,
    }
