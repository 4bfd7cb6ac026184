"""What a migration does to the schema, in JSON the lint cache keeps beside its findings.

A warm run that lints one changed file still needs the state before it, i.e. every earlier file's
effect on the catalogue: reading these back costs far less than parsing the files again.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from pytest_releasesafe import model as m
from pytest_releasesafe.model import Location, Migration, Operation
from pytest_releasesafe.schema.replay import INERT

_FIELDS = (
    "kind",
    "table",
    "schema",
    "column",
    "columns",
    "new_name",
    "index",
    "constraint",
    "constraint_type",
    "references",
    "unique",
    "not_valid",
    "nullable",
    "has_default",
    "default_sql",
    "type",
    "object_type",
    "object_name",
    "source",
    "phase",
)
_DETAILS = (
    "table_spec",
    "as_select",
    "type_source",
    "statement",
    "primary_key",
    "unique",
    "value",
    "action",
    "using_index",
)
_WITH_SQL = (m.CREATE_TABLE, m.CREATE_OBJECT)  # replay reads RETURNS TRIGGER, ON <table>, AS ENUM, LIKE
_NOWHERE = Location("", 0)
_DEFAULTS = {f.name: f.default for f in fields(Operation)}


def dump(migration: Migration, dialect: str) -> list[dict[str, Any]]:
    effects = []
    for op in migration.operations:
        if op.kind in INERT or (op.dialects is not None and dialect not in op.dialects):
            continue
        entry = {name: getattr(op, name) for name in _FIELDS if getattr(op, name) != _DEFAULTS[name]}
        entry["kind"] = op.kind
        details = [(k, v) for k, v in op.detail if k in _DETAILS]
        if details:
            entry["detail"] = details
        if op.kind in _WITH_SQL and op.sql:
            entry["sql"] = op.sql
        effects.append(entry)
    return effects


def load(effects: list[dict[str, Any]]) -> list[Operation]:
    ops = []
    for entry in effects:
        values = dict(entry)
        values["columns"] = tuple(values.get("columns", ()))
        values["detail"] = tuple((k, v) for k, v in values.get("detail", ()))
        ops.append(Operation(location=_NOWHERE, **values))
    return ops
