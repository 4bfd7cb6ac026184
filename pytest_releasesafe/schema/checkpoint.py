"""A catalogue state as plain data, so the lint cache can keep the schema a history reached.

A pre-commit run lints the few files being committed, at the end of long histories. Replaying every
earlier file's effects to get the state before them costs more than the rest of the run; the state
before the first linted file of each history is kept instead (keyed by the fingerprint of every
file before it), and the next run resumes from it.

The data is tuples, dicts and strings only, for `marshal` (never pickle: the cache folder lives in
the project, and loading it must not be able to run code). Each record is the dict of its
dataclass's fields, so a field added to `state.py` is carried without a change here; `FORMAT` goes
into the cache key so states written by another layout are never read.
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
from typing import Any

from pytest_releasesafe.schema.state import (
    Column,
    Constraint,
    Function,
    Index,
    Origin,
    Schema,
    Table,
    Trigger,
)

FORMAT = "schema-checkpoint-3|" + "|".join(
    ",".join(f.name for f in fields(cls))
    for cls in (Column, Constraint, Index, Table, Function, Trigger, Schema)
)

_RECORDS = (Column, Constraint, Index, Function, Trigger)
_NAMES: dict[type, tuple[str, ...]] = {cls: tuple(f.name for f in fields(cls)) for cls in _RECORDS}
_KEYS = {cls: frozenset(names) for cls, names in _NAMES.items()}
_GETTERS: dict[type, Any] = {cls: attrgetter(*names) for cls, names in _NAMES.items()}
_TABLE = frozenset(f.name for f in fields(Table))
_SCHEMA = frozenset(f.name for f in fields(Schema))


def dump(schema: Schema) -> tuple[Any, ...]:
    """(the origins, the schema): every record a dict of its fields, its origin an index."""
    # By identity: a replay shares one Origin per file, and hashing a dataclass costs a call.
    numbers: dict[int, int] = {}
    origins: list[Origin] = []

    def origin(value: Origin) -> int:
        number = numbers.get(id(value))
        if number is None:
            number = numbers[id(value)] = len(origins)
            origins.append(value)
        return number

    def record(value: Any) -> dict[str, Any]:
        cls = type(value)
        fields_ = dict(zip(_NAMES[cls], _GETTERS[cls](value), strict=True))
        fields_["origin"] = origin(fields_["origin"])
        return fields_

    def table(value: Table) -> dict[str, Any]:
        fields_ = {name: getattr(value, name) for name in _TABLE}
        fields_["columns"] = {k: record(v) for k, v in value.columns.items()}
        fields_["indexes"] = {k: record(v) for k, v in value.indexes.items()}
        fields_["constraints"] = tuple(record(c) for c in value.constraints)
        fields_["origin"] = origin(value.origin)
        return fields_

    body = {name: getattr(schema, name) for name in _SCHEMA}
    body["tables"] = {k: table(v) for k, v in schema.tables.items()}
    body["functions"] = {k: record(v) for k, v in schema.functions.items()}
    body["triggers"] = {k: record(v) for k, v in schema.triggers.items()}
    body["objects"] = {k: origin(v) for k, v in schema.objects.items()}
    return (tuple((o.path, o.unreleased) for o in origins), body)


def load(data: tuple[Any, ...]) -> Schema:
    """The state `dump` wrote. Raises on anything malformed (the caller treats it as a miss)."""
    raw_origins, body = data
    origins = [Origin(path, unreleased) for path, unreleased in raw_origins]
    setattr_ = object.__setattr__

    def build(cls: type, keys: frozenset[str], values: dict[str, Any]) -> Any:
        # As state.evolve does: frozen records, built without running __init__ per object (a
        # 640-revision history's state has thousands); the dict marshal made becomes the record's.
        if values.keys() != keys:
            raise ValueError(f"{cls.__name__}: fields {sorted(values)}, expected {sorted(keys)}")
        new: Any = object.__new__(cls)
        setattr_(new, "__dict__", values)
        return new

    # Each record gets a new dict: the loaded data stays as it was, for the cache to write back.
    def record(cls: type, values: dict[str, Any]) -> Any:
        return build(cls, _KEYS[cls], {**values, "origin": origins[values["origin"]]})

    def table(values: dict[str, Any]) -> Table:
        built: Table = build(
            Table,
            _TABLE,
            {
                **values,
                "columns": {k: record(Column, v) for k, v in values["columns"].items()},
                "indexes": {k: record(Index, v) for k, v in values["indexes"].items()},
                "constraints": tuple(record(Constraint, c) for c in values["constraints"]),
                "origin": origins[values["origin"]],
            },
        )
        return built

    body = dict(body)
    body["tables"] = {k: table(v) for k, v in body["tables"].items()}
    body["functions"] = {k: record(Function, v) for k, v in body["functions"].items()}
    body["triggers"] = {k: record(Trigger, v) for k, v in body["triggers"].items()}
    body["objects"] = {tuple(k): origins[v] for k, v in body["objects"].items()}
    schema: Schema = build(Schema, _SCHEMA, body)
    return schema
