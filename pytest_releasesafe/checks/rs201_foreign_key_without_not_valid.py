"""A foreign key added to an existing table and validated at once (no NOT VALID)."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.checks.statement_parts import default_name, referenced_columns
from pytest_releasesafe.model import Migration, Operation

CODE = "RS201"
KINDS = frozenset(
    {m.ADD_COLUMN, m.ADD_CONSTRAINT, m.SET_SETTING}
)  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    if (
        next(ctx.ops(migration, m.ADD_CONSTRAINT), None) is None
        and next(ctx.ops(migration, m.ADD_COLUMN), None) is None
    ):
        return  # nothing to judge: skip the walk over every operation
    checks_off = False  # MySQL: SET foreign_key_checks = 0 lets the FK be added in place, without a copy
    for op in ctx.ops(migration, m.SET_SETTING, m.ADD_CONSTRAINT, m.ADD_COLUMN):
        if op.kind == m.SET_SETTING:
            if op.get("name") == "foreign_key_checks":
                checks_off = str(op.get("value")).upper() in ("0", "OFF", "FALSE")
            continue
        if op.table_is_new:
            continue
        if op.kind == m.ADD_CONSTRAINT and op.constraint_type == "foreign_key":
            yield from _judge(op, ctx, checks_off)
        elif op.kind == m.ADD_COLUMN and op.references:
            # MySQL parses and ignores an inline column REFERENCES clause: no key is created.
            if ctx.dialect == "mysql" and op.source == "sql":
                continue
            if ctx.dialect == "postgresql" and _inline_on_empty_column(op):
                continue  # every row holds NULL: Postgres marks the key valid without a scan
            yield from _judge(op, ctx, checks_off, inline=True)


def _inline_on_empty_column(op: Operation) -> bool:
    """`ADD COLUMN c ... REFERENCES t` with no default (measured: no validation scan).

    Alembic renders `sa.ForeignKey` as a separate ALTER TABLE ... ADD FOREIGN KEY (a full scan)
    unless `inline_references=True`.
    """
    inline = op.source == "sql" or op.get("inline_references") is True
    no_default = op.has_default is False or (op.default_sql or "").strip().upper() == "NULL"
    return inline and no_default


def _judge(op: Operation, ctx: CheckContext, checks_off: bool, inline: bool = False) -> Iterator[Hit]:
    columns = op.columns or ((op.column,) if op.column else ())
    constraint = op.constraint or default_name(op, "fkey")
    remote = referenced_columns(op)
    values = dict(
        constraint=constraint,
        references=op.references,
        columns_sql=", ".join(columns) or None,
        ref_columns_py=", ".join(f'"{c}"' for c in remote) or None,
        ref_columns_sql=", ".join(remote) or None,
        # the orphan check is spelled out for a one-column key only
        fk_column=columns[0] if len(columns) == 1 and len(remote) == 1 else None,
        ref_column=remote[0] if len(columns) == 1 and len(remote) == 1 else None,
    )
    if ctx.dialect == "mysql":
        if not checks_off:
            yield hit(op, **values)
        return
    if inline or op.not_valid is not True:
        yield hit(op, severity="warning" if op.not_valid is None and not inline else None, **values)
