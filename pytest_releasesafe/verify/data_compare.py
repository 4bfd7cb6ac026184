"""Compare the rows a table held before a revision's upgrade with what its downgrade left."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

RowKey = tuple[Any, ...]


def _key_columns(table: sa.Table) -> list[str]:
    return [column.name for column in table.primary_key.columns] or [column.name for column in table.columns]


def _hashable(value: Any) -> Any:
    # JSON and array values arrive as dicts and lists; compare them by their text.
    return repr(value) if isinstance(value, (dict, list)) else value


def _index(rows: Sequence[dict[str, Any]], key: list[str]) -> dict[RowKey, dict[str, Any]]:
    return {tuple(_hashable(row.get(name)) for name in key): row for row in rows}


def _empty_like(value: Any) -> bool:
    return value is None or value == "" or value == 0


def lost_data(
    table: sa.Table,
    before: Sequence[dict[str, Any]],
    after: Sequence[dict[str, Any]] | None,
    revision: str,
    now_columns: set[str] | None,
) -> list[str]:
    """Messages for rows and values of `table` that the downgrade of `revision` did not bring back.
    `now_columns` are the table's columns after the downgrade, `after` its rows (None: gone)."""
    if not before:
        return []
    if now_columns is None or after is None:
        return [f"downgrade() of {revision} loses table {table.name} and its {len(before)} rows"]
    columns = [name for name in before[0] if name in now_columns]
    messages = [
        f"downgrade() of {revision} loses column {table.name}.{name} and its values"
        for name in before[0]
        if name not in now_columns
    ]
    key = [name for name in _key_columns(table) if name in columns]
    if not key:
        return messages
    if not table.primary_key.columns:
        # No primary key: rows are only comparable as a multiset.
        def as_tuple(row: dict[str, Any]) -> tuple[Any, ...]:
            return tuple(sorted((name, _hashable(value)) for name, value in row.items() if name in columns))

        missing = Counter(map(as_tuple, before)) - Counter(map(as_tuple, after))
        if missing:
            messages.append(
                f"downgrade() of {revision} loses {sum(missing.values())} of {len(before)} rows of {table.name}"
            )
        return messages
    before_by_key, after_by_key = _index(before, key), _index(after, key)
    lost = [k for k in before_by_key if k not in after_by_key]
    if lost:
        messages.append(
            f"downgrade() of {revision} loses {len(lost)} of {len(before)} rows of {table.name}"
            f" (e.g. {dict(zip(key, lost[0], strict=True))})"
        )
    for name in columns:
        if name in key:
            continue
        changed = [
            (k, row[name], after_by_key[k][name])
            for k, row in before_by_key.items()
            if k in after_by_key and after_by_key[k][name] != row[name]
        ]
        if not changed:
            continue
        k, old, new = changed[0]
        where = ", ".join(f"{n}={v!r}" for n, v in zip(key, k, strict=True))
        message = (
            f"downgrade() of {revision} loses data in {table.name}.{name}: {len(changed)} of {len(before)}"
            f" values changed (e.g. {where}: {old!r} -> {new!r})"
        )
        if all(_empty_like(new) for _, _, new in changed):
            message += (
                f"; the column comes back empty, as if dropped and re-added: in downgrade(), copy the values"
                f" back (or rename the column back) instead of re-creating {name}"
            )
        messages.append(message)
    return messages
