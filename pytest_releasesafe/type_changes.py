"""Which ALTER COLUMN ... TYPE changes rewrite the table, per Postgres version.

A type change rewrites the whole table (and rebuilds its indexes) under an ACCESS EXCLUSIVE lock
unless Postgres can prove the stored bytes stay valid: the cast is binary-coercible and the new
type modifier accepts every old value. `NO_REWRITE` lists those changes with the first major
version that skips the rewrite; `lint/gen_pg_facts.py` measures the same pairs on a real server
(relfilenode before and after) and stores the results under `type_changes` in
`data/pg_facts_<major>.json`, which the tests compare against this table.

Types come from two spellings: SQL (`VARCHAR(200)`, `DECIMAL(12, 2)`, `TIMESTAMPTZ(3)`) and
SQLAlchemy source (`sa.VARCHAR(length=100)`, `sa.DateTime(timezone=True)`); both are read into
`PgType`. A type this module cannot read is None: unknown, never assumed safe.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache

from pytest_releasesafe.facts import pg_facts


@dataclass(frozen=True)
class PgType:
    name: str  # canonical Postgres name: varchar, text, numeric, timestamptz, int4…
    modifiers: tuple[
        int, ...
    ] = ()  # (length,) / (precision, scale) / (fractional seconds,); () = unconstrained


# Outcomes of `change_rewrites`.
NO_REWRITE = "no_rewrite"
REWRITE = "rewrite"
UTC_ONLY = (
    "utc_only"  # no rewrite only when the session TimeZone is UTC (timestamp <-> timestamptz, PG >= 12)
)


@dataclass(frozen=True)
class Change:
    source: str
    target: str
    condition: str  # how the modifiers must relate, see `_condition_holds`
    since: int  # first Postgres major version that skips the rewrite
    outcome: str = NO_REWRITE


# The per-version table of changes that do not rewrite. Versions before 10 are folded into 9.
CHANGES: tuple[Change, ...] = (
    Change("varchar", "varchar", "length_not_smaller", 9),
    Change("varchar", "text", "any", 9),
    Change("text", "varchar", "target_unconstrained", 9),
    Change("numeric", "numeric", "same_scale_precision_not_smaller", 9),
    Change("varbit", "varbit", "length_not_smaller", 9),
    Change("timestamp", "timestamp", "length_not_smaller", 9),
    Change("timestamptz", "timestamptz", "length_not_smaller", 9),
    Change("time", "time", "length_not_smaller", 9),
    Change("timetz", "timetz", "length_not_smaller", 9),
    Change("interval", "interval", "length_not_smaller", 9),
    Change("timestamp", "timestamptz", "length_not_smaller", 12, UTC_ONLY),
    Change("timestamptz", "timestamp", "length_not_smaller", 12, UTC_ONLY),
    Change("cidr", "inet", "any", 9),
    Change("xml", "text", "any", 9),
    Change("xml", "varchar", "target_unconstrained", 9),
    # The citext extension declares these casts WITHOUT FUNCTION (measured: the relfilenode stays).
    Change("text", "citext", "any", 9),
    Change("varchar", "citext", "any", 9),
    Change("citext", "text", "any", 9),
    Change("citext", "varchar", "target_unconstrained", 9),
)

_SQL_NAMES = {
    "VARCHAR": "varchar",
    "CHARACTER VARYING": "varchar",
    "NVARCHAR": "varchar",
    "STRING": "varchar",
    "UNICODE": "varchar",
    "TEXT": "text",
    "UNICODETEXT": "text",
    "CLOB": "text",
    "CHAR": "bpchar",
    "CHARACTER": "bpchar",
    "BPCHAR": "bpchar",
    "NCHAR": "bpchar",
    "NUMERIC": "numeric",
    "DECIMAL": "numeric",
    "SMALLINT": "int2",
    "INT2": "int2",
    "SMALLINTEGER": "int2",
    "INT": "int4",
    "INTEGER": "int4",
    "INT4": "int4",
    "BIGINT": "int8",
    "INT8": "int8",
    "BIGINTEGER": "int8",
    "REAL": "float4",
    "FLOAT4": "float4",
    "DOUBLE PRECISION": "float8",
    "FLOAT8": "float8",
    "DOUBLE": "float8",
    "FLOAT": "float8",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITHOUT TIME ZONE": "timestamp",
    "DATETIME": "timestamp",
    "TIMESTAMPTZ": "timestamptz",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "TIME": "time",
    "TIME WITHOUT TIME ZONE": "time",
    "TIMETZ": "timetz",
    "TIME WITH TIME ZONE": "timetz",
    "INTERVAL": "interval",
    "DATE": "date",
    "VARBIT": "varbit",
    "BIT VARYING": "varbit",
    "BIT": "bit",
    "CIDR": "cidr",
    "INET": "inet",
    "JSON": "json",
    "JSONB": "jsonb",
    "UUID": "uuid",
    "XML": "xml",
    "BOOLEAN": "bool",
    "BOOL": "bool",
    "BYTEA": "bytea",
    "LARGEBINARY": "bytea",
    "CITEXT": "citext",
}


@lru_cache(maxsize=2048)  # migrations repeat a handful of type spellings
def parse_sql_type(text: str | None) -> PgType | None:
    """`VARCHAR(200)`, `DECIMAL(12, 2)`, `TIMESTAMPTZ(3)`, `INTERVAL 3`, `character varying (20)`…"""
    if not text:
        return None
    match = re.fullmatch(
        r"\s*([A-Za-z][A-Za-z0-9_ ]*?)\s*(?:\(\s*([0-9 ,]*)\s*\)|\s([0-9]+))?\s*(WITH(?:OUT)? TIME ZONE)?\s*",
        text.upper(),
    )
    if not match:
        return None
    raw_name, args, bare_arg, zone = match.groups()
    name = " ".join(raw_name.split())
    if zone:
        name = f"{name} {zone}"
    canonical = _SQL_NAMES.get(name)
    if canonical is None:
        return None
    modifiers = tuple(int(a) for a in (args or bare_arg or "").replace(" ", "").split(",") if a)
    return PgType(canonical, modifiers)


_SA_NAMES = {
    "String": "varchar",
    "Unicode": "varchar",
    "VARCHAR": "varchar",
    "NVARCHAR": "varchar",
    "Text": "text",
    "UnicodeText": "text",
    "TEXT": "text",
    "CLOB": "text",
    "CHAR": "bpchar",
    "NCHAR": "bpchar",
    "Numeric": "numeric",
    "NUMERIC": "numeric",
    "DECIMAL": "numeric",
    "SmallInteger": "int2",
    "SMALLINT": "int2",
    "Integer": "int4",
    "INTEGER": "int4",
    "INT": "int4",
    "BigInteger": "int8",
    "BIGINT": "int8",
    "REAL": "float4",
    "Double": "float8",
    "DOUBLE": "float8",
    "DOUBLE_PRECISION": "float8",
    "Float": "float8",
    "FLOAT": "float8",
    "Date": "date",
    "DATE": "date",
    "Interval": "interval",
    "INTERVAL": "interval",
    "Uuid": "uuid",
    "UUID": "uuid",
    "INET": "inet",
    "CIDR": "cidr",
    "JSON": "json",
    "JSONB": "jsonb",
    "Boolean": "bool",
    "BOOLEAN": "bool",
    "LargeBinary": "bytea",
    "BYTEA": "bytea",
    "BIT": "varbit",
    "CITEXT": "citext",
}


@lru_cache(maxsize=2048)
def parse_sqlalchemy_type(source: str | None) -> PgType | None:
    """`sa.VARCHAR(length=100)`, `sa.Numeric(10, 2)`, `postgresql.TIMESTAMP(timezone=True, precision=3)`…"""
    if not source:
        return None
    try:
        node = ast.parse(source.strip(), mode="eval").body
    except SyntaxError:
        return None
    args: list[object] = []
    keywords: dict[str, object] = {}
    if isinstance(node, ast.Call):
        args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
        keywords = {
            k.arg: k.value.value if isinstance(k.value, ast.Constant) else None
            for k in node.keywords
            if k.arg
        }
        node = node.func
    name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
    if name in ("DateTime", "TIMESTAMP", "Time", "TIME"):
        zone = keywords.get("timezone", args[0] if args else False) is True
        base = "timestamp" if name in ("DateTime", "TIMESTAMP") else "time"
        precision = keywords.get("precision")
        return PgType(base + ("tz" if zone else ""), (precision,) if isinstance(precision, int) else ())
    if name == "TIMESTAMPTZ":
        return PgType("timestamptz")
    canonical = _SA_NAMES.get(name)
    if canonical is None:
        return None
    if canonical in ("varchar", "bpchar", "varbit"):
        length = keywords.get("length", args[0] if args else None)
        if canonical == "varbit" and keywords.get("varying") is not True and name == "BIT":
            canonical = "bit"
        return PgType(canonical, (length,) if isinstance(length, int) else ())
    if canonical == "numeric":
        precision = keywords.get("precision", args[0] if args else None)
        scale = keywords.get("scale", args[1] if len(args) > 1 else None)
        if isinstance(precision, int):
            return PgType("numeric", (precision, scale if isinstance(scale, int) else 0))
        return PgType("numeric")
    if canonical == "float8" and name in ("Float", "FLOAT"):
        precision = keywords.get("precision", args[0] if args else None)
        if isinstance(precision, int) and precision <= 24:
            return PgType("float4")
    if canonical == "interval":
        precision = keywords.get("second_precision", keywords.get("precision"))
        return PgType("interval", (precision,) if isinstance(precision, int) else ())
    return PgType(canonical)


def _condition_holds(condition: str, old: PgType, new: PgType) -> bool:
    if condition == "any":
        return True
    if condition == "target_unconstrained":
        return not new.modifiers
    if condition == "length_not_smaller":
        if not new.modifiers:
            return True  # varchar(n) -> varchar, timestamp(3) -> timestamp: the limit is lifted
        return bool(old.modifiers) and new.modifiers[0] >= old.modifiers[0]
    if condition == "same_scale_precision_not_smaller":
        if not new.modifiers:
            return True  # numeric(p, s) -> numeric
        if not old.modifiers or len(new.modifiers) < 1:
            return False
        old_scale = old.modifiers[1] if len(old.modifiers) > 1 else 0
        new_scale = new.modifiers[1] if len(new.modifiers) > 1 else 0
        return new_scale == old_scale and new.modifiers[0] >= old.modifiers[0]
    raise ValueError(f"unknown condition {condition}")


def change_rewrites(old: PgType, new: PgType, version: int) -> str:
    """NO_REWRITE, REWRITE or UTC_ONLY for `ALTER COLUMN ... TYPE new` on a column of type `old`."""
    if old == new:
        return NO_REWRITE
    for change in CHANGES:
        if change.source == old.name and change.target == new.name and version >= change.since:
            if _condition_holds(change.condition, old, new):
                return change.outcome
    # Any other binary-coercible cast the server knows (pg_cast.castmethod = 'b') into an
    # unconstrained type keeps the bytes as they are.
    if not new.modifiers and [old.name, new.name] in _binary_casts(version):
        return NO_REWRITE
    return REWRITE


_FORMAT_TYPE = {
    "character varying": "varchar",
    "character": "bpchar",
    "text": "text",
    "xml": "xml",
    "cidr": "cidr",
    "inet": "inet",
    "bit varying": "varbit",
    "bit": "bit",
    "integer": "int4",
    "bigint": "int8",
    "smallint": "int2",
    "json": "json",
    "jsonb": "jsonb",
    "uuid": "uuid",
    "bytea": "bytea",
    "boolean": "bool",
}


def _binary_casts(version: int) -> list[list[str]]:
    casts = []
    for source, target in pg_facts(version).get("binary_casts", []):
        if source in _FORMAT_TYPE and target in _FORMAT_TYPE:
            casts.append([_FORMAT_TYPE[source], _FORMAT_TYPE[target]])
    return casts


def describe(pg_type: PgType) -> str:
    return (
        f"{pg_type.name}({', '.join(str(m) for m in pg_type.modifiers)})"
        if pg_type.modifiers
        else pg_type.name
    )
