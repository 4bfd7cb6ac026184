"""The collector pause around a file's parse leaves the collector as it found it, whatever happens."""

from __future__ import annotations

import gc

import pytest

from pytest_releasesafe.frontends.alembic import parse_alembic
from pytest_releasesafe.gc_pause import paused


def test_the_collector_is_off_during_the_work_and_on_again_after() -> None:
    seen = paused(gc.isenabled)()
    assert seen is False
    assert gc.isenabled()


def test_the_collector_is_on_again_after_the_work_fails() -> None:
    def fails() -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        paused(fails)()
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        paused(lambda: None)()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_parsing_a_revision_leaves_the_collector_on() -> None:
    migration = parse_alembic(
        "r.py", "from alembic import op\n\ndef upgrade():\n    op.drop_column('t', 'c')\n", "postgresql"
    )
    assert [op.kind for op in migration.operations] == ["drop_column"]
    assert gc.isenabled()
