"""Inventories (YAML, flagd JSON) and the staleness rules, each finding kind on a fixed date."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from pytest_releasesafe.flags.config import find_pyproject, load_config
from pytest_releasesafe.flags.inventory import InventoryError, load_inventory, remove_from_inventory
from pytest_releasesafe.flags.scan import scan

from .conftest import write_project

TODAY = dt.date(2026, 7, 1)


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text))
    return path


def test_yaml_flags_keep_their_lines_and_fields(tmp_path: Path) -> None:
    inventory = write(
        tmp_path / "flags.yaml",
        """\
        # header comment
        flags:
          new_checkout_flow:
            type: release          # release | experiment | ops | permission
            owner: payments
            created: 2026-01-10
            rollout: 100
            rolled_out: 2026-02-01
            remove_by: 2026-06-01

          kill_switch:
            type: ops
            rollout: true
        """,
    )
    loaded = load_inventory(inventory)
    assert loaded.problems == []
    flag = loaded.flags["new_checkout_flow"]
    assert (flag.line, flag.type, flag.owner, flag.rollout) == (3, "release", "payments", 100)
    assert (flag.created, flag.rolled_out, flag.remove_by) == (
        dt.date(2026, 1, 10),
        dt.date(2026, 2, 1),
        dt.date(2026, 6, 1),
    )
    assert (loaded.flags["kill_switch"].line, loaded.flags["kill_switch"].rollout) == (11, 100)


def test_bad_entries_are_problems_with_lines_and_the_rest_loads(tmp_path: Path) -> None:
    inventory = write(
        tmp_path / "flags.yaml",
        """\
        flags:
          good:
            created: 2026-01-10
          bad_type:
            type: forever
          bad_date:
            created: last tuesday
          bad_rollout:
            rollout: 150
          not_a_mapping: 3
        """,
    )
    loaded = load_inventory(inventory)
    assert sorted(loaded.flags) == ["bad_date", "bad_rollout", "bad_type", "good"]
    assert [(problem.line, problem.message.split(":")[0]) for problem in loaded.problems] == [
        (4, "flag 'bad_type'"),
        (6, "flag 'bad_date'"),
        (8, "flag 'bad_rollout'"),
        (10, "flag 'not_a_mapping'"),
    ]


def test_broken_yaml_names_file_and_line(tmp_path: Path) -> None:
    inventory = write(tmp_path / "flags.yaml", "flags:\n  a:\n    type: [unclosed\n  b: 1\n")
    with pytest.raises(InventoryError) as raised:
        load_inventory(inventory)
    assert raised.value.path == inventory and raised.value.line == 4
    assert "invalid YAML" in raised.value.message


def test_flagd_json(tmp_path: Path) -> None:
    inventory = write(
        tmp_path / "flags.flagd.json",
        """\
        {
          "flags": {
            "banner": {
              "state": "ENABLED",
              "variants": {"on": true, "off": false},
              "defaultVariant": "on",
              "metadata": {"type": "release", "created": "2026-03-01"}
            },
            "theme": {
              "state": "ENABLED",
              "variants": {"a": "a", "b": "b"},
              "defaultVariant": "a",
              "targeting": {"if": [true, "b", "a"]}
            },
            "old": {"state": "DISABLED", "variants": {"on": true}, "defaultVariant": "on"}
          }
        }
        """,
    )
    loaded = load_inventory(inventory)
    assert {name: (flag.line, flag.rollout) for name, flag in loaded.flags.items()} == {
        "banner": (3, 100),
        "theme": (9, None),
        "old": (15, 0),
    }
    assert loaded.flags["banner"].created == dt.date(2026, 3, 1)


def test_broken_json_names_the_line(tmp_path: Path) -> None:
    inventory = write(tmp_path / "flags.json", '{\n  "flags": {\n    "a": {,}\n  }\n}\n')
    with pytest.raises(InventoryError) as raised:
        load_inventory(inventory)
    assert raised.value.line == 3


FINDING_CASES = [
    ("past-remove-by", "type: ops\n    remove_by: 2026-06-01", ["RSF001"]),
    ("not-yet-due", "type: ops\n    remove_by: 2026-07-02", []),
    ("fully-on-long-enough", "created: 2026-06-01\n    rollout: 100\n    rolled_out: 2026-06-17", ["RSF002"]),
    ("fully-on-too-recently", "created: 2026-06-01\n    rollout: 100\n    rolled_out: 2026-06-18", []),
    ("fully-off-counted-from-created", "created: 2026-06-01\n    rollout: false", ["RSF002"]),
    ("partial-rollout", "created: 2026-06-01\n    rollout: 50", []),
    ("release-too-old", "type: release\n    created: 2026-05-21", ["RSF003"]),
    ("release-within-lifetime", "type: release\n    created: 2026-05-22", []),
    ("experiment-too-old", "type: experiment\n    created: 2026-01-01\n    rollout: 50", ["RSF003"]),
    ("ops-never-ages", "type: ops\n    created: 2020-01-01\n    rollout: 100", []),
    ("permission-never-ages", "type: permission\n    created: 2020-01-01\n    rollout: 0", []),
    (
        "everything",
        "created: 2026-01-01\n    rollout: 100\n    remove_by: 2026-03-01",
        ["RSF001", "RSF002", "RSF003"],
    ),
]


@pytest.mark.parametrize(("name", "fields", "codes"), FINDING_CASES, ids=[case[0] for case in FINDING_CASES])
def test_staleness_rules(tmp_path: Path, name: str, fields: str, codes: list[str]) -> None:
    root = write_project(tmp_path, {"app/mod.py": "from app.flags import is_on\nis_on('f')\n"})
    inventory = root / "flags.yaml"
    inventory.write_text(f"flags:\n  f:\n    {fields}\n")
    result = scan([root], load_config(find_pyproject(root)), [inventory], TODAY)
    assert [finding.rule for finding in result.findings] == codes
    for finding in result.findings:
        assert (finding.path.endswith("flags.yaml"), finding.line, dict(finding.extra)["flag"]) == (
            True,
            2,
            "f",
        )


def test_unknown_unused_and_dynamic(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "app/mod.py": "from app.flags import is_on\n\nis_on('known')\nis_on('surprise')\nis_on(name_from_db)\n"
        },
    )
    inventory = root / "flags.yaml"
    inventory.write_text("flags:\n  known:\n    type: ops\n  forgotten:\n    type: ops\n")
    result = scan([root], load_config(find_pyproject(root)), [inventory], TODAY)
    summary = [(f.rule, f.name, Path(f.path).name, f.line, dict(f.extra)["flag"]) for f in result.findings]
    assert summary == [
        ("RSF004", "flag-unknown", "mod.py", 4, "surprise"),
        ("RSF006", "flag-key-dynamic", "mod.py", 5, None),
        ("RSF005", "flag-unused", "flags.yaml", 4, "forgotten"),
    ]


def test_references_only_reports_code_lines_for_stale_flags(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"app/mod.py": "from app.flags import is_on\n\nis_on('old')\n"})
    inventory = root / "flags.yaml"
    inventory.write_text("flags:\n  old:\n    remove_by: 2026-01-01\n  unused:\n    type: ops\n")
    result = scan([root], load_config(find_pyproject(root)), [inventory], TODAY, references_only=True)
    assert [(f.rule, Path(f.path).name, f.line) for f in result.findings] == [("RSF007", "mod.py", 3)]
    assert "2026-01-01" in result.findings[0].message


def test_remove_from_yaml_keeps_everything_else(tmp_path: Path) -> None:
    inventory = write(
        tmp_path / "flags.yaml",
        """\
        flags:
          # Keep: the first flag.
          first:
            type: ops
          # The flag we remove, and its comment.
          gone:
            type: release
            created: 2026-01-01

          # Keep: the last flag.
          last:
            type: ops
        """,
    )
    assert remove_from_inventory(inventory, "gone") == textwrap.dedent(
        """\
        flags:
          # Keep: the first flag.
          first:
            type: ops

          # Keep: the last flag.
          last:
            type: ops
        """
    )
    assert remove_from_inventory(inventory, "absent") is None
    last_removed = remove_from_inventory(inventory, "last")
    assert last_removed is not None and last_removed.endswith("    created: 2026-01-01\n")


def test_remove_from_flagd_json_keeps_the_rest_as_written(tmp_path: Path) -> None:
    inventory = write(
        tmp_path / "flags.json",
        """\
        {
          "flags": {
            "keep": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on"},
            "gone": {
              "state": "ENABLED",
              "note": "braces } and quotes \\" in strings",
              "defaultVariant": "on"
            },
            "last": {"state": "DISABLED"}
          }
        }
        """,
    )
    without_middle = remove_from_inventory(inventory, "gone")
    assert without_middle == textwrap.dedent(
        """\
        {
          "flags": {
            "keep": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on"},
            "last": {"state": "DISABLED"}
          }
        }
        """
    )
    inventory.write_text(without_middle)
    assert remove_from_inventory(inventory, "last") == textwrap.dedent(
        """\
        {
          "flags": {
            "keep": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on"}
          }
        }
        """
    )
