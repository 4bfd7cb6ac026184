"""A catalogue state as plain data, so the lint cache can keep the schema a history reached.

A pre-commit run lints the few files being committed, at the end of long histories. Replaying every
earlier file's effects to get the state before them costs more than the rest of the run; the state
before the first linted file of each history is kept instead (keyed by the fingerprint of every
file before it), and the next run resumes from it.

The data is tuples, dicts and strings only, for `marshal` (never pickle: the cache folder lives in
the project, and loading it must not be able to run code). Each record is its dataclass's fields in
declaration order, so a field added to `state.py` is carried without a change here; `FORMAT` goes
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

FORMAT = "schema-checkpoint-1|" + "|".join(
    ",".join(f.name for f in fields(cls))
    for cls in (Column, Constraint, Index, Table, Function, Trigger, Schema)
)

_RECORDS = (Column, Constraint, Index, Function, Trigger)
_NAMES: dict[type, tuple[str, ...]] = {cls: tuple(f.name for f in fields(cls)) for cls in _RECORDS}
# Every record's origin is its last field (checked here): a record dumps as one attrgetter call.
assert all(names[-1] == "origin" for names in _NAMES.values())
_GETTERS: dict[type, Any] = {cls: attrgetter(*names) for cls, names in _NAMES.items()}
_TABLE = tuple(f.name for f in fields(Table))
_SCHEMA = tuple(f.name for f in fields(Schema))


def dump(schema: Schema) -> tuple[Any, ...]:
    # By identity: a replay shares one Origin per file, and hashing a dataclass costs a call.
    numbers: dict[int, int] = {}
    origins: list[Origin] = []

    def origin(value: Origin) -> int:
        number = numbers.get(id(value))
        if number is None:
            number = numbers[id(value)] = len(origins)
            origins.append(value)
        return number

    def record(value: Any) -> tuple[Any, ...]:
        values = _GETTERS[type(value)](value)
        return (*values[:-1], origin(values[-1]))

    def table(value: Table) -> tuple[Any, ...]:
        parts = []
        for name in _TABLE:
            item = getattr(value, name)
            if name in ("columns", "indexes"):
                item = {k: record(v) for k, v in item.items()}
            elif name == "constraints":
                item = tuple(record(c) for c in item)
            elif name == "origin":
                item = origin(item)
            parts.append(item)
        return tuple(parts)

    body = []
    for name in _SCHEMA:
        item = getattr(schema, name)
        if name == "tables":
            item = {k: table(v) for k, v in item.items()}
        elif name in ("functions", "triggers"):
            item = {k: record(v) for k, v in item.items()}
        elif name == "objects":
            item = {k: origin(v) for k, v in item.items()}
        body.append(item)
    return (tuple((o.path, o.unreleased) for o in origins), tuple(body))


def load(data: tuple[Any, ...]) -> Schema:
    """The state `dump` wrote. Raises on anything malformed (the caller treats it as a miss)."""
    raw_origins, body = data
    origins = [Origin(path, unreleased) for path, unreleased in raw_origins]

    def build(cls: type, names: tuple[str, ...], values: dict[str, Any]) -> Any:
        if len(values) != len(names):
            raise ValueError(f"{cls.__name__}: {len(values)} fields, expected {len(names)}")
        new: Any = object.__new__(cls)
        new.__dict__.update(values)  # as state.evolve does: frozen records, no __init__ per object
        return new

    def record(cls: type, values: tuple[Any, ...]) -> Any:
        names = _NAMES[cls]
        if len(values) != len(names):
            raise ValueError(f"{cls.__name__}: {len(values)} fields, expected {len(names)}")
        return build(
            cls, names, {n: origins[v] if n == "origin" else v for n, v in zip(names, values, strict=True)}
        )

    def table(values: tuple[Any, ...]) -> Table:
        parts = dict(zip(_TABLE, values, strict=True))
        parts["columns"] = {k: record(Column, v) for k, v in parts["columns"].items()}
        parts["indexes"] = {k: record(Index, v) for k, v in parts["indexes"].items()}
        parts["constraints"] = tuple(record(Constraint, c) for c in parts["constraints"])
        parts["origin"] = origins[parts["origin"]]
        return build(Table, _TABLE, parts)

    parts = dict(zip(_SCHEMA, body, strict=True))
    parts["tables"] = {k: table(v) for k, v in parts["tables"].items()}
    parts["functions"] = {k: record(Function, v) for k, v in parts["functions"].items()}
    parts["triggers"] = {k: record(Trigger, v) for k, v in parts["triggers"].items()}
    parts["objects"] = {tuple(k): origins[v] for k, v in parts["objects"].items()}
    schema: Schema = build(Schema, _SCHEMA, parts)
    return schema
