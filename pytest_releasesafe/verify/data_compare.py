"""Compare the rows a table held before a revision's upgrade with what its downgrade left."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Upgraded:
    """A table between upgrade() and downgrade(): its rows (None: the upgrade dropped it)."""

    rows: Sequence[dict[str, Any]] | None


_LOSSY = (
    "this upgrade is lossy: no downgrade() can bring the values back, so rolling it back needs a"
    " backup; or split it (expand/contract): add the new shape and copy the data in one release,"
    " drop the old one in a later release"
)


def _text(value: Any) -> str:
    # Values read back after a type change differ in kind (101 vs '101'); compare what they say.
    return str(_hashable(value))


def _kept_elsewhere(
    name: str, before_by_key: dict[RowKey, dict[str, Any]], upgraded: dict[RowKey, dict[str, Any]]
) -> bool:
    """True when a column the upgrade added holds `name`'s values row for row (a rename or a
    copy): the upgrade kept the data, so bringing it back is the downgrade's job."""
    if not upgraded:
        return False
    sample = next(iter(upgraded.values()))
    existing = next(iter(before_by_key.values()), {})
    for other in (column for column in sample if column not in existing):
        if all(
            key in upgraded and _text(upgraded[key].get(other)) == _text(row.get(name))
            for key, row in before_by_key.items()
        ):
            return True
    return False


def _upgrade_destroyed(
    name: str,
    before_by_key: dict[RowKey, dict[str, Any]],
    upgraded: dict[RowKey, dict[str, Any]] | None,
) -> str:
    """How upgrade() itself destroyed column `name`'s values ("" when it did not)."""
    if upgraded is None:
        return ""
    sample = next(iter(upgraded.values()), None)
    if sample is not None and name not in sample:
        return "" if _kept_elsewhere(name, before_by_key, upgraded) else "drops"
    changed = [
        key
        for key, row in before_by_key.items()
        if key in upgraded and _text(upgraded[key].get(name)) != _text(row.get(name))
    ]
    return "overwrites" if changed else ""


def lost_data(
    table: sa.Table,
    before: Sequence[dict[str, Any]],
    after: Sequence[dict[str, Any]] | None,
    revision: str,
    now_columns: set[str] | None,
    upgraded: Upgraded | None = None,
) -> list[str]:
    """Messages for rows and values of `table` that the downgrade of `revision` did not bring back.
    `now_columns` are the table's columns after the downgrade, `after` its rows (None: gone).
    `upgraded`, when known, is the table between the two: data the upgrade already destroyed is
    reported as a lossy upgrade, not as the downgrade's fault."""
    if not before:
        return []
    if upgraded is not None and upgraded.rows is None:
        return [f"upgrade() of {revision} drops table {table.name} and its {len(before)} rows; {_LOSSY}"]
    if now_columns is None or after is None:
        return [f"downgrade() of {revision} loses table {table.name} and its {len(before)} rows"]
    columns = [name for name in before[0] if name in now_columns]
    upgraded_by_key = (
        _index(upgraded.rows, _key_columns(table))
        if upgraded is not None and upgraded.rows is not None  # rows is None returned above
        else None
    )
    if upgraded_by_key is not None and upgraded_by_key and not table.primary_key.columns:
        upgraded_by_key = None  # rows without a key cannot be followed through the upgrade
    messages = []
    for name in before[0]:
        if name in now_columns:
            continue
        how = _upgrade_destroyed(name, _index(before, _key_columns(table)), upgraded_by_key)
        if how:
            messages.append(
                f"upgrade() of {revision} {how} column {table.name}.{name} and its values; {_LOSSY}"
            )
        else:
            messages.append(f"downgrade() of {revision} loses column {table.name}.{name} and its values")
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
        how = _upgrade_destroyed(name, before_by_key, upgraded_by_key)
        if how:
            messages.append(
                f"upgrade() of {revision} {how} {'column' if how == 'drops' else 'the values of'}"
                f" {table.name}.{name}: {len(changed)} of {len(before)} values do not come back"
                f" (e.g. {where}: {old!r} -> {new!r}); {_LOSSY}"
            )
            continue
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
