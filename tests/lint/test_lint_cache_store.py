"""The lint cache's files keep each entry encoded, and a run decodes only the entries it asks for."""

from __future__ import annotations

import marshal
from pathlib import Path

from pytest_releasesafe.lint_cache import _HEADER, _Store


def _written(store: _Store) -> dict[str, bytes]:
    data = store.file.read_bytes()
    assert data.startswith(_HEADER)
    entries = marshal.loads(data[len(_HEADER) :])
    assert all(isinstance(value, bytes) for value in entries.values())
    return entries


def test_entries_round_trip_and_untouched_ones_are_written_back_as_they_were(tmp_path: Path) -> None:
    first = _Store(tmp_path / "findings.marshal")
    first.put("a", [{"rule": "RS101", "line": 3}])
    first.put("b", {"tables": ("users",)})
    first.save()
    stored = _written(first)

    second = _Store(tmp_path / "findings.marshal")
    assert second.get("a") == [{"rule": "RS101", "line": 3}]
    second.put("c", ["new"])
    second.save()
    again = _written(second)
    assert again["b"] == stored["b"]  # never decoded, written back byte for byte
    assert _Store(tmp_path / "findings.marshal").get("c") == ["new"]
    # Most recently used last: the entry not looked at goes first when the store is trimmed.
    assert list(again) == ["b", "a", "c"]


def test_keep_marks_an_entry_used_without_decoding_it(tmp_path: Path) -> None:
    file = tmp_path / "schemas.marshal"
    file.write_bytes(_HEADER + marshal.dumps({"old": b"not marshal data", "kept": marshal.dumps(1)}))
    store = _Store(file, limit=1)
    assert store.keep("old")  # present: kept, though it would not decode
    assert not store.keep("missing")
    store.put("new", 2)
    store.save()
    assert list(_written(store)) == ["new"]  # the limit keeps the last used
    trimmed = _Store(file, limit=2)
    assert trimmed.keep("new") and trimmed.get("new") == 2


def test_an_entry_that_does_not_decode_is_a_miss(tmp_path: Path) -> None:
    file = tmp_path / "effects.marshal"
    file.write_bytes(_HEADER + marshal.dumps({"junk": b"\xff\x00junk", "plain": ("not", "bytes")}))
    store = _Store(file)
    assert store.get("junk") is None
    assert store.get("plain") is None
    assert store.used == {}


def test_a_file_of_the_previous_layout_is_an_empty_cache(tmp_path: Path) -> None:
    file = tmp_path / "findings.marshal"
    file.write_bytes(b"releasesafe-cache 2 python 3.11\n" + marshal.dumps({"a": [{"rule": "RS101"}]}))
    assert _Store(file).get("a") is None
