"""The user-visible reports, snapshotted: a change to their wording or layout must be deliberate.

Set RELEASESAFE_UPDATE_SNAPSHOTS=1 to rewrite the snapshots after an intended change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pytest_releasesafe.verify.compat.breaks import Break, Revision
from pytest_releasesafe.verify.compat.git import Base
from pytest_releasesafe.verify.compat.report import render
from pytest_releasesafe.verify.compat.runner import CompatReport

SNAPSHOTS = Path(__file__).parent / "snapshots"
RENAME = Revision(id="0002", message="rename users.email", path="migrations/versions/0002_rename.py")
STATUS = Revision(id="0003", message="add users.status", path="migrations/versions/0003_status.py")


def report(*breaks: Break) -> CompatReport:
    return CompatReport(
        base=Base(ref="v1", commit="3ce21b3bf2aa00112233445566778899aabbccdd"),
        project=Path("/srv/shop"),
        dialect="postgresql",
        server="postgresql 15.20",
        tables=("users", "orders"),
        new_revisions=(RENAME, STATUS),
        breaks=breaks,
    )


INCOMPATIBLE = report(
    Break(
        kind="missing-column",
        table="users",
        column="email",
        operation="schema",
        model="User.email",
        message=(
            "the old code maps users.email but the column no longer exists (renamed to users.email_address?)"
        ),
        renamed_to="email_address",
        revision=RENAME,
    ),
    Break(
        kind="probe-failed",
        table="users",
        column="email",
        operation="INSERT",
        model="User.email",
        message="the old code's INSERT on users.email fails on the new schema",
        error='column "email" of relation "users" does not exist',
        revision=RENAME,
    ),
    Break(
        kind="new-required-column",
        table="users",
        column="status",
        operation="schema",
        model=None,
        message="users.status is NOT NULL without a server default and the old code does not know it",
        revision=STATUS,
    ),
)


@pytest.mark.parametrize("output_format", ["text", "markdown", "json"])
@pytest.mark.parametrize("name", ["incompatible", "compatible"])
def test_report_snapshot(name: str, output_format: str) -> None:
    subject = INCOMPATIBLE if name == "incompatible" else report()
    rendered = render(subject, output_format)
    snapshot = SNAPSHOTS / f"{name}.{ {'text': 'txt', 'markdown': 'md', 'json': 'json'}[output_format] }"
    if os.environ.get("RELEASESAFE_UPDATE_SNAPSHOTS"):
        snapshot.write_text(rendered)
    assert rendered == snapshot.read_text()


def test_json_is_complete_for_tools() -> None:
    data = json.loads(render(INCOMPATIBLE, "json"))
    assert data["compatible"] is False
    assert data["base"] == {"ref": "v1", "commit": "3ce21b3bf2aa00112233445566778899aabbccdd"}
    assert [item["revision"] for item in data["breaks"]] == ["0002", "0002", "0003"]
    assert all(item["advice"] for item in data["breaks"])
