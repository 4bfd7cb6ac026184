"""Model/DDL drift: what `alembic revision --autogenerate` would write at head, told as findings."""

from __future__ import annotations

import importlib
from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from pytest_releasesafe.verify.migrator import VerifyError

# env.py options that shape what autogenerate compares; everything else is about running scripts.
_COMPARE_OPTIONS = (
    "include_name",
    "include_object",
    "include_schemas",
    "compare_type",
    "compare_server_default",
    "version_table",
    "version_table_schema",
    "render_as_batch",
)


def load_object(spec: str, setting: str, expected: str) -> Any:
    """What `package.module:attribute` names (importing the module); VerifyError naming the
    setting when it cannot be had."""
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise VerifyError(f"{setting} = {spec!r}: expected '{expected}'")
    try:
        value: Any = importlib.import_module(module_name)
        for part in attribute.split("."):
            value = getattr(value, part)
    except Exception as error:  # noqa: BLE001 - the user's module failed to import: say which
        raise VerifyError(f"{setting} = {spec!r}: {type(error).__name__}: {error}") from None
    return value


def load_metadata(spec: str) -> sa.MetaData:
    """`package.module:attribute` -> the MetaData (or a declarative Base's metadata) it names."""
    value = load_object(spec, "releasesafe_models", "package.module:metadata")
    metadata = getattr(value, "metadata", value)
    if not isinstance(metadata, sa.MetaData):
        raise VerifyError(f"releasesafe_models = {spec!r} is a {type(value).__name__}, not a MetaData")
    return metadata


def _name(item: Any) -> str:
    table = getattr(item, "table", None)
    if isinstance(item, sa.Column) and table is not None:
        return f"{table.name}.{item.name}"
    return str(getattr(item, "name", item))


def _describe_one(diff: tuple[Any, ...]) -> str:
    kind = diff[0]
    if kind == "add_table":
        return f"table {diff[1].name} is in the models but no migration creates it"
    if kind == "remove_table":
        return f"table {diff[1].name} is in the database but not in the models"
    if kind == "add_column":
        column = diff[3]
        return f"column {diff[2]}.{column.name} ({column.type}) is in the models but no migration adds it"
    if kind == "remove_column":
        return f"column {diff[2]}.{diff[3].name} is in the database but not in the models"
    if kind in ("add_index", "remove_index", "add_constraint", "remove_constraint", "add_fk", "remove_fk"):
        obj = diff[1]
        noun = {"index": "index", "constraint": "constraint", "fk": "foreign key"}[kind.split("_", 1)[1]]
        table = getattr(getattr(obj, "table", None), "name", None) or getattr(obj, "parent", None)
        where = f" on {getattr(table, 'name', table)}" if table is not None else ""
        if kind.startswith("add"):
            return f"{noun} {_name(obj)}{where} is in the models but not in the database"
        return f"{noun} {_name(obj)}{where} is in the database but not in the models"
    if kind == "modify_nullable":
        _, _, table, column, _, old, new = diff
        model = "NULL" if new else "NOT NULL"
        database = "NULL" if old else "NOT NULL"
        return f"{table}.{column} is {model} in the models but {database} in the database"
    if kind == "modify_type":
        _, _, table, column, _, old, new = diff
        return f"{table}.{column} has type {new} in the models but {old} in the database"
    if kind == "modify_default":
        _, _, table, column, _, old, new = diff
        return f"{table}.{column} default differs: models {_default(new)}, database {_default(old)}"
    if kind == "modify_comment":
        _, _, table, column, _, old, new = diff
        return f"{table}.{column} comment differs: models {new!r}, database {old!r}"
    return f"{kind}: {', '.join(_name(part) for part in diff[1:] if part is not None)}"


def _default(value: Any) -> str:
    text = getattr(value, "arg", value)
    return repr(str(getattr(text, "text", text))) if value is not None else "none"


def drift(connection: Connection, metadata: sa.MetaData, env_options: dict[str, Any]) -> list[str]:
    """Differences between the migrated database and `metadata`, one sentence each."""
    options = {key: env_options[key] for key in _COMPARE_OPTIONS if env_options.get(key) is not None}
    options.setdefault("compare_type", True)
    context = MigrationContext.configure(connection, opts={"target_metadata": metadata, **options})
    differences = compare_metadata(context, metadata)
    messages: list[str] = []
    for diff in differences:
        # Column-level modifications come grouped in a list.
        for item in diff if isinstance(diff, list) else [diff]:
            messages.append(_describe_one(item))
    return messages
