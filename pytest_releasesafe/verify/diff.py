"""Differences between two schema snapshots, told in the words of the migration that caused them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from pytest_releasesafe.verify.snapshot import ColumnShape, Snapshot, TableShape

# Snapshot fields holding named objects of a table, with the noun used in messages.
_TABLE_OBJECTS = (
    ("indexes", "index"),
    ("uniques", "unique constraint"),
    ("foreign_keys", "foreign key"),
    ("checks", "check constraint"),
    ("triggers", "trigger"),
)
_SCHEMA_OBJECTS = (
    ("types", "type"),
    ("sequences", "sequence"),
    ("views", "view"),
    ("routines", "routine"),
)


@dataclass(frozen=True)
class Difference:
    """One object that differs. `expected` is the reference state, `actual` what the database holds;
    None on one side means the object is absent there."""

    noun: str  # "table", "column", "index", "nullability", "type of column", ...
    subject: str  # "audit_log", "users.email", "ix_users_email"
    expected: str | None
    actual: str | None

    @property
    def extra(self) -> bool:
        return self.expected is None

    @property
    def missing(self) -> bool:
        return self.actual is None


def _compare_named(
    noun: str, expected: Mapping[str, str], actual: Mapping[str, str], owner: str = ""
) -> Iterator[Difference]:
    prefix = f"{owner}." if owner else ""
    for name in sorted(expected.keys() | actual.keys()):
        before, after = expected.get(name), actual.get(name)
        if before != after:
            yield Difference(noun, prefix + name, before, after)


def _compare_columns(
    table: str, expected: ColumnShape, actual: ColumnShape, name: str
) -> Iterator[Difference]:
    subject = f"{table}.{name}"
    if expected.type != actual.type:
        yield Difference("type of column", subject, expected.type, actual.type)
    if expected.nullable != actual.nullable:
        yield Difference(
            "nullability",
            subject,
            "NULL" if expected.nullable else "NOT NULL",
            "NULL" if actual.nullable else "NOT NULL",
        )
    if expected.default != actual.default:
        yield Difference("default of column", subject, str(expected.default), str(actual.default))
    if expected.extra != actual.extra:
        yield Difference("column options", subject, expected.extra or "none", actual.extra or "none")


def _compare_tables(name: str, expected: TableShape, actual: TableShape) -> Iterator[Difference]:
    for column in sorted(expected.columns.keys() | actual.columns.keys()):
        before, after = expected.columns.get(column), actual.columns.get(column)
        if before is None or after is None:
            yield Difference(
                "column",
                f"{name}.{column}",
                None if before is None else before.type,
                None if after is None else after.type,
            )
        else:
            yield from _compare_columns(name, before, after, column)
    if expected.primary_key != actual.primary_key:
        yield Difference("primary key", name, expected.primary_key or None, actual.primary_key or None)
    for field_name, noun in _TABLE_OBJECTS:
        yield from _compare_named(noun, getattr(expected, field_name), getattr(actual, field_name), name)


def compare(expected: Snapshot, actual: Snapshot) -> list[Difference]:
    """Everything that differs between `expected` and `actual`; empty when they are the same schema."""
    differences: list[Difference] = []
    for name in sorted(expected.tables.keys() | actual.tables.keys()):
        before, after = expected.tables.get(name), actual.tables.get(name)
        if before is None or after is None:
            differences.append(
                Difference(
                    "table", name, None if before is None else "table", None if after is None else "table"
                )
            )
        else:
            differences.extend(_compare_tables(name, before, after))
    for field_name, noun in _SCHEMA_OBJECTS:
        differences.extend(_compare_named(noun, getattr(expected, field_name), getattr(actual, field_name)))
    return differences


def _split(subject: str) -> tuple[str, str]:
    table, _, column = subject.rpartition(".")
    return table, column


def after_downgrade(difference: Difference, revision: str) -> str:
    """What a downgrade left wrong, and what to write in downgrade() instead."""
    d = difference
    if d.noun == "table":
        if d.extra:
            return (
                f"downgrade() of {revision} does not drop table {d.subject} created by upgrade()"
                f" (add op.drop_table({d.subject!r}) to downgrade())"
            )
        return (
            f"downgrade() of {revision} does not restore table {d.subject} dropped by upgrade()"
            " (re-create it in downgrade())"
        )
    if d.noun == "column":
        table, column = _split(d.subject)
        if d.extra:
            return (
                f"downgrade() of {revision} does not drop column {d.subject} added by upgrade()"
                f" (add op.drop_column({table!r}, {column!r}) to downgrade())"
            )
        return (
            f"downgrade() of {revision} does not restore column {d.subject} ({d.expected})"
            " removed by upgrade()"
            f" (add op.add_column({table!r}, sa.Column({column!r}, ...)) to downgrade())"
        )
    if d.noun == "nullability":
        table, column = _split(d.subject)
        nullable = d.expected == "NULL"
        return (
            f"{d.subject} stays {d.actual} after downgrade of {revision}, was {d.expected}"
            f" (add op.alter_column({table!r}, {column!r}, nullable={nullable}) to downgrade())"
        )
    if d.noun == "type of column":
        table, column = _split(d.subject)
        return (
            f"{d.subject} has type {d.actual} after downgrade of {revision}, was {d.expected}"
            f" (add op.alter_column({table!r}, {column!r}, type_=...) restoring {d.expected} to downgrade())"
        )
    if d.noun == "default of column":
        table, column = _split(d.subject)
        return (
            f"{d.subject} has default {d.actual} after downgrade of {revision}, was {d.expected}"
            f" (add op.alter_column({table!r}, {column!r}, server_default=...) to downgrade())"
        )
    if d.extra:
        return (
            f"downgrade() of {revision} does not drop {d.noun} {d.subject} created by upgrade(): {d.actual}"
        )
    if d.missing:
        return (
            f"downgrade() of {revision} does not restore {d.noun} {d.subject} removed by upgrade():"
            f" {d.expected}"
        )
    return f"{d.noun} {d.subject} differs after downgrade of {revision}: {d.actual}, was {d.expected}"


def made_by_downgrade(difference: Difference, revision: str) -> str:
    """A difference upgrade() did not make: downgrade() made it on its own."""
    d = difference
    if d.extra:
        return (
            f"downgrade() of {revision} creates {d.noun} {d.subject} ({d.actual}), which was not there"
            " before upgrade() and which upgrade() did not create: remove it from downgrade()"
        )
    if d.missing:
        return (
            f"downgrade() of {revision} removes {d.noun} {d.subject} ({d.expected}), which upgrade() did"
            " not touch: remove that from downgrade()"
        )
    return (
        f"downgrade() of {revision} changes {d.noun} {d.subject} from {d.expected} to {d.actual}, which"
        " upgrade() did not touch: remove that from downgrade()"
    )


def describe(difference: Difference) -> str:
    """A neutral description: what the database holds compared with the reference."""
    d = difference
    if d.extra:
        return f"{d.noun} {d.subject} was created ({d.actual})"
    if d.missing:
        return f"{d.noun} {d.subject} was removed ({d.expected})"
    return f"{d.noun} {d.subject} changed from {d.expected} to {d.actual}"
