"""ALTER COLUMN ... TYPE that rewrites the table, judged with the per-version no-rewrite table."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe import type_changes as tc
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.column_types import for_dialect
from pytest_releasesafe.model import Migration, Operation

CODE = "RS401"
KINDS = frozenset({m.ALTER_COLUMN_TYPE, m.SET_SETTING})  # the engine skips this check when none occur

# Targets a same-family source reaches without a rewrite when it only widens: with the old type
# unknown, a change to these is most likely a widening (varchar(100) -> varchar(200), -> text).
_WIDENING_TARGETS = {"varchar", "text"}
# Targets where widening is also common, but a different source rewrites: uncertain, so a warning.
_MAYBE_WIDENING_TARGETS = {"numeric", "timestamp", "timestamptz", "time", "timetz", "interval", "varbit"}


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    if next(ctx.ops(migration, m.ALTER_COLUMN_TYPE), None) is None:
        return  # nothing to judge: skip the walk over every operation
    utc = str(ctx.options.get(CODE, {}).get("timezone", "")).upper() == "UTC"
    for op in ctx.ops(migration, m.SET_SETTING, m.ALTER_COLUMN_TYPE):
        if op.kind == m.SET_SETTING:
            if op.get("name") == "timezone":
                utc = str(op.get("value")).upper() in ("UTC", "ETC/UTC", "UCT", "Z", "+00:00")
            continue
        if op.table_is_new:
            continue
        yield from _judge(op, ctx, utc)


def check_operation(op: Operation, ctx: CheckContext) -> Iterator[Hit]:
    """The verdict on one type change alone (no `SET TimeZone` seen): for rules asking whether it rewrites."""
    utc = str(ctx.options.get(CODE, {}).get("timezone", "")).upper() == "UTC"
    return _judge(op, ctx, utc)


_TYPE_NAME = r"[a-z_][a-z0-9_ .]*(?:\(\s*\d+(?:\s*,\s*\d+)?\s*\))?(?: with(?:out)? time zone)?"


def _plain_cast(using: str, column: str | None) -> bool:
    """`USING col`, `USING col::type`, `USING CAST(col AS type)`: the same as no USING at all."""
    if not column:
        return False
    text = " ".join(using.replace('"', "").split()).lower()
    name = re.escape(column.lower())
    return bool(re.fullmatch(rf"{name}(?:::{_TYPE_NAME})?|cast\({name} as {_TYPE_NAME}\)", text))


def _types(op: Operation) -> tuple[tc.PgType | None, tc.PgType | None]:
    if op.source == "alembic":
        # `sa.Text().with_variant(MEDIUMTEXT, "mysql")` is text on Postgres
        new_source = for_dialect(op.get("type_source"), "postgresql")
        old_source = for_dialect(op.get("existing_type_source"), "postgresql")
        new = tc.parse_sqlalchemy_type(new_source) or tc.parse_sql_type(op.type)
        old = tc.parse_sqlalchemy_type(old_source) or tc.parse_sql_type(op.old_type)
        return old, new
    return tc.parse_sql_type(op.old_type), tc.parse_sql_type(op.type)


def catalogue_type(op: Operation, ctx: CheckContext) -> tc.PgType | None:
    """The column's type as the replayed history left it (None: the history does not say)."""
    column = ctx.column_before(op)
    if column is None or not column.type:
        return None
    if column.type_source == "alembic":
        source = for_dialect(column.type, "postgresql")
        return tc.parse_sqlalchemy_type(source) or tc.parse_sql_type(column.type)
    return tc.parse_sql_type(column.type)


def _judge(op: Operation, ctx: CheckContext, utc: bool) -> Iterator[Hit]:
    old, new = _types(op)
    if old is None:
        old = catalogue_type(op, ctx)
    shown_new = tc.describe(new) if new else (op.type or op.get("type_source"))
    shown_old = tc.describe(old) if old else "its current type"
    values = dict(type=shown_new, old_type=shown_old, type_py=op.get("type_source"))
    if op.get("using") and not _plain_cast(op.get("using"), op.column):
        yield hit(op, reason="a USING expression recomputes every row", **values)
        return
    if new is None:
        if op.get("using"):  # a cast the server needs spelled out into a type it does not know as builtin
            yield hit(op, reason="the new type is not a builtin widening and needs a USING cast", **values)
        elif op.source == "alembic":
            # A project type or a variable (`type_=MediumText()`): the linter cannot know what it is
            # on the server, so it says so without gating CI on a guess.
            yield hit(op, severity="info", variant="unknown_type", **values)
        else:
            yield hit(
                op,
                severity="warning",
                reason="the linter cannot read the new type to rule out a rewrite",
                **values,
            )
        return
    if old is None:
        if new.name in _WIDENING_TARGETS:
            return  # stated without the old type: read as the common widening, which rewrites nothing
        severity = "warning" if new.name in _MAYBE_WIDENING_TARGETS else None
        yield hit(
            op,
            severity=severity,
            # existing_type= is Alembic's way to state it; SQL never states the old type
            reason="the old type is not stated (give existing_type=) and most changes to this type rewrite"
            if op.source == "alembic"
            else "the linter does not know the old type and most changes to this type rewrite",
            **values,
        )
        return
    outcome = tc.change_rewrites(old, new, ctx.target_version)
    if outcome == tc.NO_REWRITE:
        return
    if outcome == tc.UTC_ONLY:
        if not utc:
            yield hit(
                op,
                severity="warning",
                reason="it skips the rewrite only when the session TimeZone is UTC (SET TimeZone = 'UTC')",
                **values,
            )
        return
    change = f"{tc.describe(old)} -> {tc.describe(new)}"
    reason = f"{change} is not a binary-compatible widening on Postgres {ctx.target_version}"
    yield hit(op, reason=reason, **values)
