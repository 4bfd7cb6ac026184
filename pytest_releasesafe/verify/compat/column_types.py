"""Column types as plain data, so old models (dumped in a subprocess) and the reflected new schema compare.

A type is described by a category plus the facts that decide whether a value fits: length, integer
size, precision and scale, enum labels. The same description drives the generated probe values and
the SQLAlchemy type used to bind them, so the probes send what the old code would send.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import sqltypes

TypeInfo = dict[str, Any]

# Integer storage size in bytes, keyed by SQLAlchemy's visit name (generic and dialect types).
_INTEGER_SIZES = {
    "tinyint": 1,
    "smallint": 2,
    "small_integer": 2,
    "mediumint": 3,
    "integer": 4,
    "int": 4,
    "bigint": 8,
    "big_integer": 8,
}

# Where a dialect stores one category as another, old code keeps working: MySQL has no boolean (TINYINT),
# no UUID (CHAR(32)) and MariaDB's JSON is LONGTEXT.
_SAME_STORAGE = {
    ("boolean", "integer"),
    ("uuid", "string"),
    ("json", "string"),
    ("json", "text"),
    ("enum", "string"),
}
_WIDENINGS = {("integer", "numeric"), ("integer", "float"), ("numeric", "float"), ("string", "text")}


def _unwrap(type_: sa.types.TypeEngine[Any]) -> sa.types.TypeEngine[Any]:
    """A TypeDecorator stores its values as its implementation type: judge that one."""
    seen = 0
    while isinstance(type_, sa.types.TypeDecorator) and seen < 10:
        type_ = type_.impl_instance
        seen += 1
    return type_


def describe_type(type_: sa.types.TypeEngine[Any], dialect: Dialect | None = None) -> TypeInfo:
    """The category of a column type and the facts that decide which values fit."""
    type_ = _unwrap(type_)
    info: TypeInfo = {"category": "other", "sql": _render(type_, dialect)}
    if isinstance(type_, sa.Boolean):
        info["category"] = "boolean"
    elif isinstance(type_, sa.Enum):
        # The type name matters on Postgres: the old code casts its values to that type.
        name = type_.name if getattr(type_, "native_enum", True) else None
        info.update(category="enum", enums=list(type_.enums), length=type_.length, name=name)
    elif isinstance(type_, sa.Integer):
        info.update(category="integer", size=_INTEGER_SIZES.get(type_.__visit_name__.lower(), 4))
    elif isinstance(type_, sa.Float):
        info["category"] = "float"
    elif isinstance(type_, sa.Numeric):
        info.update(category="numeric", precision=type_.precision, scale=type_.scale)
    elif isinstance(type_, sa.DateTime):
        info.update(category="datetime", timezone=bool(type_.timezone))
    elif isinstance(type_, sa.Date):
        info["category"] = "date"
    elif isinstance(type_, sa.Time):
        info["category"] = "time"
    elif isinstance(type_, sa.Interval):
        info["category"] = "interval"
    elif isinstance(type_, sa.Uuid):
        info["category"] = "uuid"
    elif isinstance(type_, sa.JSON):
        info["category"] = "json"
    elif isinstance(type_, sa.String):
        # Text and the MySQL TEXT family have no declared length (or a huge one): unbounded for us.
        length = type_.length if not isinstance(type_, sa.Text) else None
        info.update(category="text" if length is None else "string", length=length)
    elif isinstance(type_, sqltypes._Binary):
        info.update(category="binary", length=type_.length)
    elif isinstance(type_, sa.ARRAY):
        info["category"] = "array"
    return info


def _render(type_: sa.types.TypeEngine[Any], dialect: Dialect | None) -> str:
    try:
        return str(type_.compile(dialect=dialect))
    except Exception:  # noqa: BLE001 - some types cannot render for some dialects; fall back to repr
        return repr(type_)


def narrowing(old: TypeInfo, new: TypeInfo) -> str | None:
    """Why values the old code writes may not fit the new type, or None when they do."""
    old_cat, new_cat = old["category"], new["category"]
    if "other" in (old_cat, new_cat) or "array" in (old_cat, new_cat):
        return None  # unknown to us: leave it to the probes
    if old_cat != new_cat:
        if (old_cat, new_cat) in _WIDENINGS or (old_cat, new_cat) in _SAME_STORAGE:
            return _string_too_short(old, new)
        return f"type changed from {old['sql']} to {new['sql']}"
    if old_cat == "string":
        return _string_too_short(old, new)
    if old_cat == "integer" and new.get("size", 4) < old.get("size", 4):
        return f"integer narrowed from {old['sql']} to {new['sql']}"
    if old_cat == "numeric":
        old_p, new_p = old.get("precision"), new.get("precision")
        old_s, new_s = old.get("scale") or 0, new.get("scale") or 0
        if new_p is not None and (old_p is None or new_p - new_s < old_p - old_s or new_s < old_s):
            return f"numeric narrowed from {old['sql']} to {new['sql']}"
    if old_cat == "enum":
        missing = [label for label in old.get("enums", []) if label not in new.get("enums", [])]
        if missing:
            return f"enum lost values the old code writes: {', '.join(missing)}"
    if old_cat == "binary" and new.get("length") and (not old.get("length") or new["length"] < old["length"]):
        return f"binary narrowed from {old['sql']} to {new['sql']}"
    return None


def _string_too_short(old: TypeInfo, new: TypeInfo) -> str | None:
    new_length = new.get("length")
    if new["category"] not in ("string", "enum") or not new_length:
        return None
    old_length = old.get("length")
    if old["category"] == "uuid":
        old_length = 32
    if old["category"] == "enum":
        old_length = max((len(label) for label in old.get("enums", [])), default=0)
    if old_length is None or old_length > new_length:
        return f"length narrowed from {old['sql']} to {new['sql']}"
    return None


def same_kind(old: TypeInfo, new: TypeInfo) -> bool:
    """Whether a new column could be the old one under a new name (rename detection)."""
    pair = (old["category"], new["category"])
    return old["category"] == new["category"] or pair in _SAME_STORAGE or pair[::-1] in _SAME_STORAGE


def binding_type(info: TypeInfo) -> sa.types.TypeEngine[Any]:
    """The SQLAlchemy type the old code binds its values with (generic, so it works on every dialect)."""
    category = info["category"]
    if category == "integer":
        return sa.BigInteger() if info.get("size", 4) > 4 else sa.Integer()
    if category == "numeric":
        return sa.Numeric(info.get("precision"), info.get("scale"))
    if category == "enum":
        labels = info.get("enums") or []
        if info.get("name") and labels:
            # A named (native) enum: Postgres drivers cast the value to it, as the old ORM does.
            return sa.Enum(*labels, name=info["name"], validate_strings=False)
        return sa.String()
    simple: dict[str, sa.types.TypeEngine[Any]] = {
        "boolean": sa.Boolean(),
        "float": sa.Float(),
        "datetime": sa.DateTime(timezone=bool(info.get("timezone"))),
        "date": sa.Date(),
        "time": sa.Time(),
        "interval": sa.Interval(),
        "uuid": sa.Uuid(),
        "json": sa.JSON(),
        "binary": sa.LargeBinary(),
        "text": sa.Text(),
        "string": sa.String(info.get("length")),
    }
    return simple.get(category, sa.types.NullType())
