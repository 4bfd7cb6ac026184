"""Generated probe values: the largest values the old model allows, so a narrowed column rejects them.

Each value carries a random part, so unique constraints hold, and `variant` gives the UPDATE probe a
value different from the inserted one.
"""

from __future__ import annotations

import datetime as dt
import decimal
import secrets
import uuid
from typing import Any

from pytest_releasesafe.verify.compat.column_types import TypeInfo

# Long enough to show a narrowed VARCHAR, short enough to stay cheap for TEXT columns.
_UNBOUNDED_TEXT = 300
_MAX_STRING = 4000
_SMALL_STRING = 8
_INTEGER_TOPS = {1: 100, 2: 30_000, 3: 8_000_000, 4: 2_000_000_000, 8: 9_000_000_000_000_000_000}

UNSUPPORTED = object()  # no value we can make for this type: leave the column out


def probe_value(info: TypeInfo, dialect: str, variant: int = 0, small: bool = False) -> Any:
    """A value of the old column's type; `small` makes a modest one, used to find which column is too big."""
    category = info["category"]
    token = secrets.token_hex(6)
    if category in ("string", "text"):
        length = info.get("length") or _UNBOUNDED_TEXT
        length = min(length, _SMALL_STRING if small else _MAX_STRING)
        return (f"{variant}{token}" + "x" * length)[:length]
    if category == "integer":
        top = _INTEGER_TOPS.get(info.get("size", 4), _INTEGER_TOPS[4])
        if small:
            top = min(top, _INTEGER_TOPS[2])
        return top - secrets.randbelow(max(top // 10, 1)) - variant
    if category == "numeric":
        if small:
            return decimal.Decimal(1 + variant)
        return _numeric(info.get("precision"), info.get("scale"), variant)
    if category == "float":
        return 1.5 + variant
    if category == "boolean":
        return variant % 2 == 0
    if category == "enum":
        labels = info.get("enums") or []
        return labels[variant % len(labels)] if labels else UNSUPPORTED
    if category == "datetime":
        moment = dt.datetime(2024, 1, 2, 3, 4, 5) + dt.timedelta(days=variant)
        # MySQL DATETIME has no time zone and its drivers reject aware values.
        return moment.replace(tzinfo=dt.UTC) if info.get("timezone") and dialect != "mysql" else moment
    if category == "date":
        return dt.date(2024, 1, 2) + dt.timedelta(days=variant)
    if category == "time":
        return dt.time(12, 34, 56 - variant % 50)
    if category == "interval":
        return dt.timedelta(days=1, seconds=variant)
    if category == "uuid":
        return uuid.uuid4()
    if category == "json":
        return {"releasesafe": "probe", "variant": variant}
    if category == "binary":
        length = min(info.get("length") or 16, 64)
        return (token.encode() * length)[:length]
    return UNSUPPORTED


def _numeric(precision: int | None, scale: int | None, variant: int) -> decimal.Decimal:
    if precision is None:
        return decimal.Decimal("12345.5") + variant
    scale = scale or 0
    whole = "9" * max(precision - scale, 0) or "0"
    fraction = "9" * scale
    value = decimal.Decimal(f"{whole}.{fraction}" if fraction else whole)
    return value - variant if value >= variant else value
