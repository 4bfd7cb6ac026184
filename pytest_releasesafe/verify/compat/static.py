"""Compare what the old code maps with the schema the database has now, without running any statement."""

from __future__ import annotations

from pytest_releasesafe.verify.compat.breaks import (
    MISSING_COLUMN,
    MISSING_TABLE,
    NARROWED_TYPE,
    NEW_REQUIRED_COLUMN,
    NOW_NOT_NULL,
    Break,
)
from pytest_releasesafe.verify.compat.column_types import narrowing, same_kind
from pytest_releasesafe.verify.compat.schema import NewTable, OldColumn, OldTable


def compare(
    old_tables: tuple[OldTable, ...], new_tables: dict[tuple[str | None, str], NewTable]
) -> list[Break]:
    breaks: list[Break] = []
    for old in old_tables:
        new = new_tables.get((old.schema, old.name))
        models = sorted({column.attribute.split(".")[0] for column in old.columns if column.attribute})
        if new is None:
            mapped_by = f" (mapped by {', '.join(models)})" if models else ""
            breaks.append(
                Break(
                    kind=MISSING_TABLE,
                    table=old.name,
                    column=None,
                    operation="schema",
                    model=", ".join(models) or None,
                    message=f"the old code maps table {old.name}{mapped_by} but it no longer exists",
                )
            )
            continue
        breaks.extend(_compare_table(old, new))
    return breaks


def _compare_table(old: OldTable, new: NewTable) -> list[Break]:
    breaks: list[Break] = []
    unknown_to_old = [column for name, column in new.columns.items() if old.column(name) is None]
    for column in old.columns:
        current = new.columns.get(column.name)
        if current is None:
            breaks.append(
                _missing(old, column, [c.name for c in unknown_to_old if same_kind(column.type, c.type)])
            )
            continue
        reason = narrowing(column.type, current.type)
        if reason:
            breaks.append(_break(NARROWED_TYPE, old, column, f"{old.name}.{column.name}: {reason}"))
        writes_null = column.nullable and not column.primary_key
        if writes_null and not current.nullable and not current.has_server_default:
            breaks.append(
                _break(
                    NOW_NOT_NULL,
                    old,
                    column,
                    f"{old.name}.{column.name} became NOT NULL without a server default; the old code "
                    "treats it as optional and writes NULL or leaves it out",
                )
            )
    renamed = {item.renamed_to for item in breaks if item.renamed_to}
    for current in unknown_to_old:
        # A renamed column is one problem, reported on its old name.
        if current.name not in renamed and not current.nullable and not current.has_server_default:
            breaks.append(
                Break(
                    kind=NEW_REQUIRED_COLUMN,
                    table=old.name,
                    column=current.name,
                    operation="schema",
                    model=None,
                    message=(
                        f"{old.name}.{current.name} is NOT NULL without a server default and the old code "
                        f"does not know it: every INSERT into {old.name} by the old code fails"
                    ),
                )
            )
    return breaks


def _missing(table: OldTable, column: OldColumn, candidates: list[str]) -> Break:
    renamed_to = candidates[0] if len(candidates) == 1 else None
    what = f"{table.name}.{column.name}"
    hint = f" (renamed to {table.name}.{renamed_to}?)" if renamed_to else ""
    return Break(
        kind=MISSING_COLUMN,
        table=table.name,
        column=column.name,
        operation="schema",
        model=column.attribute,
        message=f"the old code maps {what} but the column no longer exists{hint}",
        renamed_to=renamed_to,
    )


def _break(kind: str, table: OldTable, column: OldColumn, message: str) -> Break:
    return Break(
        kind=kind,
        table=table.name,
        column=column.name,
        operation="schema",
        model=column.attribute,
        message=message,
    )
