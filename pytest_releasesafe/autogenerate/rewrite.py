"""Rewrite what `alembic revision --autogenerate` detected into the forms `releasesafe lint` accepts.

Autogenerate writes the shortest migration that turns the database into the models: every index
built under a SHARE lock, every constraint validated under its lock, a NOT NULL column added in one
step, a renamed column dropped (with its data) and added again. On a busy table each of these is an
outage or a broken previous release. This module turns each into the multi-step form the linter's
rules recommend, on tables that already exist (a table created in the same revision is empty and
keeps the plain form):

- `create_index` / `drop_index`: CONCURRENTLY, in `autocommit_block()` (Postgres);
- foreign keys and CHECKs: added NOT VALID, then VALIDATE in an autocommit block (Postgres);
- unique constraints: a unique index built concurrently, then `ADD CONSTRAINT … USING INDEX` (Postgres);
- `add_column(nullable=False)` without a server default: added NULLable, with the steps to make it
  NOT NULL later written into the revision as a note;
- `alter_column(nullable=False)`: a NOT VALID CHECK (col IS NOT NULL), VALIDATE, SET NOT NULL (which
  Postgres 12+ proves from the valid CHECK without a scan), then the CHECK is dropped;
- drops of columns and tables: left out of this revision with a note (the previous release still maps
  them), unless named in `contract=`; a dropped column with an added one of the same type is a
  rename, turned into expand/contract;
- unnamed foreign keys get the name Postgres would give them, so the downgrade can drop them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from alembic.operations import ops
from alembic.util import CommandError

from pytest_releasesafe.autogenerate.operations import AutocommitBlockOp, NoteOp, SuppressedOp

POSTGRES_NAME_LIMIT = 63


@dataclass
class _Ledger:
    """What the upgrade rewrite decided that the downgrade rewrite must agree with."""

    deferred_columns: set[tuple[str, str]] = field(default_factory=set)
    deferred_tables: set[str] = field(default_factory=set)
    named_foreign_keys: dict[str, list[str]] = field(default_factory=dict)  # table -> names given
    contracted: set[str] = field(default_factory=set)


class SafeRewrite:
    """One rewrite of one migration script: `upgrade_ops` first, then `downgrade_ops`."""

    def __init__(self, dialect: Any, contract: Iterable[str] = ()) -> None:
        self.dialect = dialect
        self.postgres = getattr(dialect, "name", "") == "postgresql"
        self.contract = {entry.strip() for entry in contract}
        self.ledger = _Ledger()
        self.new_tables: set[str] = set()

    # --- entry point -------------------------------------------------------------------------

    def script(self, script: ops.MigrationScript) -> None:
        for upgrade_ops in script.upgrade_ops_list:
            self.new_tables = {
                _key(op.schema, op.table_name) for op in upgrade_ops.ops if isinstance(op, ops.CreateTableOp)
            }
            upgrade_ops.ops = self._rewrite(upgrade_ops.ops, downgrade=False)
        for downgrade_ops in script.downgrade_ops_list:
            downgrade_ops.ops = self._rewrite(downgrade_ops.ops, downgrade=True)
        unknown = sorted(self.contract - self.ledger.contracted)
        if unknown:
            raise CommandError(
                f"releasesafe safe_directives: contract={unknown!r} names no column or table that this "
                "revision drops (write 'table.column' or 'table', as autogenerate detected them)"
            )

    # --- the walk ----------------------------------------------------------------------------

    def _rewrite(self, operations: Sequence[ops.MigrateOperation], *, downgrade: bool) -> list[Any]:
        out: list[Any] = []
        for operation in operations:
            if isinstance(operation, ops.ModifyTableOps):
                out.extend(self._table(operation, downgrade=downgrade))
            elif isinstance(operation, ops.DropTableOp) and not downgrade:
                out.extend(self._drop_table(operation))
            elif isinstance(operation, ops.CreateTableOp) and downgrade:
                if _key(operation.schema, operation.table_name) not in self.ledger.deferred_tables:
                    out.append(operation)
            else:
                out.append(operation)
        return out

    def _table(self, table_ops: ops.ModifyTableOps, *, downgrade: bool) -> list[Any]:
        table, schema = table_ops.table_name, table_ops.schema
        key = _key(schema, table)
        existing = key not in self.new_tables or downgrade
        in_txn: list[Any] = []
        autocommit: list[Any] = []
        after: list[Any] = []
        renames = {} if downgrade else _renames(table_ops.ops, self.dialect)
        for operation in table_ops.ops:
            if not existing:
                in_txn.append(operation)
            elif downgrade and self._undoes_a_deferred_drop(key, operation):
                continue
            elif isinstance(operation, ops.CreateIndexOp | ops.DropIndexOp) and self.postgres:
                if isinstance(operation, ops.DropIndexOp) and key in self.ledger.deferred_tables:
                    continue
                operation.kw["postgresql_concurrently"] = True
                autocommit.append(operation)
            elif (
                isinstance(operation, ops.CreateForeignKeyOp | ops.CreateCheckConstraintOp) and self.postgres
            ):
                self._not_valid_then_validate(operation, schema, in_txn, autocommit)
            elif (
                isinstance(operation, ops.CreateUniqueConstraintOp)
                and self.postgres
                and operation.constraint_name
            ):
                self._unique_via_index(operation, autocommit, after)
            elif isinstance(operation, ops.DropConstraintOp) and downgrade:
                self._name_unnamed_foreign_key_drop(operation, key)
                in_txn.append(operation)
            elif isinstance(operation, ops.DropColumnOp) and not downgrade:
                in_txn.extend(self._drop_column(operation, key, renames))
            elif isinstance(operation, ops.AddColumnOp) and not downgrade:
                in_txn.extend(self._add_column(operation, key, renames))
            elif (
                isinstance(operation, ops.AlterColumnOp)
                and operation.modify_nullable is False
                and self.postgres
            ):
                self._set_not_null(operation, in_txn, autocommit, after)
            else:
                in_txn.append(operation)
        out: list[Any] = []
        if in_txn:
            out.append(ops.ModifyTableOps(table, in_txn, schema=schema))
        if autocommit:
            out.append(AutocommitBlockOp(autocommit))
        if after:
            out.append(ops.ModifyTableOps(table, after, schema=schema))
        return out

    # --- constraints -------------------------------------------------------------------------

    def _not_valid_then_validate(
        self, operation: Any, schema: str | None, in_txn: list[Any], autocommit: list[Any]
    ) -> None:
        table = (
            operation.source_table if isinstance(operation, ops.CreateForeignKeyOp) else operation.table_name
        )
        if not operation.constraint_name:
            if not isinstance(operation, ops.CreateForeignKeyOp):
                in_txn.append(operation)  # an unnamed CHECK cannot be validated by name: left as it is
                return
            operation.constraint_name = _postgres_default_name(table, operation.local_cols, "fkey")
            self.ledger.named_foreign_keys.setdefault(_key(schema, table), []).append(
                operation.constraint_name
            )
        operation.kw["postgresql_not_valid"] = True
        in_txn.append(operation)
        autocommit.append(
            ops.ExecuteSQLOp(
                f"ALTER TABLE {self._qualified(schema, table)} VALIDATE CONSTRAINT "
                f"{self._quote(operation.constraint_name)}"
            )
        )

    def _unique_via_index(self, operation: Any, autocommit: list[Any], after: list[Any]) -> None:
        name, table, schema = operation.constraint_name, operation.table_name, operation.schema
        autocommit.append(
            ops.CreateIndexOp(
                name, table, list(operation.columns), schema=schema, unique=True, postgresql_concurrently=True
            )
        )
        after.append(
            ops.ExecuteSQLOp(
                f"ALTER TABLE {self._qualified(schema, table)} ADD CONSTRAINT {self._quote(name)} "
                f"UNIQUE USING INDEX {self._quote(name)}"
            )
        )

    def _name_unnamed_foreign_key_drop(self, operation: ops.DropConstraintOp, key: str) -> None:
        names = self.ledger.named_foreign_keys.get(key)
        if operation.constraint_name is None and operation.constraint_type == "foreignkey" and names:
            operation.constraint_name = names.pop(0)

    # --- columns -----------------------------------------------------------------------------

    def _add_column(self, operation: ops.AddColumnOp, key: str, renames: dict[str, str]) -> list[Any]:
        column = operation.column
        old = next((dropped for dropped, added in renames.items() if added == column.name), None)
        needs_value = not column.nullable and column.server_default is None and column.computed is None
        needs_value = needs_value and column.identity is None
        if old is not None:
            column.nullable = True
            return [
                NoteOp(
                    [
                        f"releasesafe: {key}.{old} -> {column.name} looks like a rename; done as expand/contract.",
                        f"{column.name} is added here and {old} is kept, so the running release still works.",
                        f"Next: ship code that writes both columns, copy {old} into {column.name} in batches,",
                        f"then ship code that reads {column.name} only, and drop {old} in a later revision.",
                    ]
                ),
                operation,
            ]
        if not needs_value:
            return [operation]
        column.nullable = True
        return [
            NoteOp(
                [
                    f"releasesafe: {key}.{column.name} is added NULLable: adding it NOT NULL without a",
                    "server default fails on a table with rows, and the running release does not write it.",
                    f"Next: ship code that writes {column.name}, backfill existing rows in batches, then",
                    "run autogenerate again: the NOT NULL step it finds is rewritten into a safe one.",
                ]
            ),
            operation,
        ]

    def _drop_column(self, operation: ops.DropColumnOp, key: str, renames: dict[str, str]) -> list[Any]:
        name = f"{key}.{operation.column_name}"
        if name in self.contract:
            self.ledger.contracted.add(name)
            return [
                SuppressedOp(
                    operation, "RS511", "contract step: the previous release no longer maps this column"
                )
            ]
        self.ledger.deferred_columns.add((key, operation.column_name))
        kept = self._keep_insertable(operation)
        if operation.column_name in renames:
            return kept  # the rename note on the added column says what happens to it
        return [
            *kept,
            NoteOp(
                [
                    f"releasesafe: dropping {name} is left out of this revision: the release still running",
                    "during the deploy (and after a rollback) maps it. Once no running code uses it, drop it",
                    f"in its own revision: pass contract=[{name!r}] to safe_directives and autogenerate again.",
                ]
            ),
        ]

    def _keep_insertable(self, operation: ops.DropColumnOp) -> list[Any]:
        """A kept column the new models no longer write must accept rows without it: a NOT NULL
        column with no server default would make every INSERT of the new release fail."""
        try:
            column = operation.to_column()
        except (AttributeError, ValueError):  # no reverse recorded: nothing known about the column
            return []
        if column.nullable or column.server_default is not None or column.computed is not None:
            return []
        return [
            NoteOp(
                [
                    f"releasesafe: {operation.column_name} is kept NOT NULL without a default; the new",
                    "release does not write it, so it must accept NULL from now on.",
                ]
            ),
            ops.AlterColumnOp(
                operation.table_name,
                operation.column_name,
                schema=operation.schema,
                existing_type=column.type,
                existing_nullable=False,
                modify_nullable=True,
            ),
        ]

    def _drop_table(self, operation: ops.DropTableOp) -> list[Any]:
        key = _key(operation.schema, operation.table_name)
        if key in self.contract:
            self.ledger.contracted.add(key)
            return [SuppressedOp(operation, "RS512", "contract step: the previous release no longer uses it")]
        self.ledger.deferred_tables.add(key)
        return [
            NoteOp(
                [
                    f"releasesafe: dropping table {key} is left out of this revision: the release still",
                    "running maps it. Once no running code uses it, drop it in its own revision:",
                    f"pass contract=[{key!r}] to safe_directives and autogenerate again.",
                ]
            )
        ]

    def _undoes_a_deferred_drop(self, key: str, operation: ops.MigrateOperation) -> bool:
        if key in self.ledger.deferred_tables:
            return isinstance(operation, ops.CreateIndexOp | ops.AddColumnOp)
        return isinstance(operation, ops.AddColumnOp) and (key, operation.column.name) in (
            self.ledger.deferred_columns
        )

    def _set_not_null(
        self, operation: ops.AlterColumnOp, in_txn: list[Any], autocommit: list[Any], after: list[Any]
    ) -> None:
        table, schema, column = operation.table_name, operation.schema, operation.column_name
        check = _postgres_default_name(table, [column], "not_null")
        qualified = self._qualified(schema, table)
        operation.modify_nullable = None
        if _still_alters(operation):
            in_txn.append(operation)
        in_txn.append(
            ops.ExecuteSQLOp(
                f"ALTER TABLE {qualified} ADD CONSTRAINT {self._quote(check)} "
                f"CHECK ({self._quote(column)} IS NOT NULL) NOT VALID"
            )
        )
        autocommit.append(
            ops.ExecuteSQLOp(f"ALTER TABLE {qualified} VALIDATE CONSTRAINT {self._quote(check)}")
        )
        after.append(
            NoteOp(["releasesafe: Postgres 12+ proves NOT NULL from the valid CHECK above: no table scan."])
        )
        after.append(
            ops.AlterColumnOp(
                table,
                column,
                schema=schema,
                existing_type=operation.existing_type,
                existing_server_default=operation.existing_server_default,
                existing_nullable=True,
                modify_nullable=False,
            )
        )
        after.append(ops.DropConstraintOp(check, table, type_="check", schema=schema))

    # --- SQL text ----------------------------------------------------------------------------

    def _quote(self, name: str) -> str:
        return str(self.dialect.identifier_preparer.quote(name))

    def _qualified(self, schema: str | None, table: str) -> str:
        return f"{self._quote(schema)}.{self._quote(table)}" if schema else self._quote(table)


def _key(schema: str | None, table: str) -> str:
    return f"{schema}.{table}" if schema else table


def _still_alters(operation: ops.AlterColumnOp) -> bool:
    return any(
        value is not False and value is not None
        for value in (
            operation.modify_type,
            operation.modify_name,
            operation.modify_comment,
            operation.modify_server_default,
        )
    )


def _postgres_default_name(table: str, columns: Sequence[str], suffix: str) -> str:
    """The name Postgres gives an unnamed constraint: table_col1_col2_suffix, cut to 63 bytes."""
    name = "_".join([table, *columns, suffix])
    return (
        name
        if len(name.encode()) <= POSTGRES_NAME_LIMIT
        else name[: POSTGRES_NAME_LIMIT - len(suffix) - 1] + "_" + suffix
    )


def _renames(operations: Sequence[ops.MigrateOperation], dialect: Any) -> dict[str, str]:
    """Dropped column -> added column, when a table loses exactly one column and gains exactly one of
    the same type: autogenerate cannot see renames and writes them as drop + add."""
    dropped = [op for op in operations if isinstance(op, ops.DropColumnOp)]
    added = [op for op in operations if isinstance(op, ops.AddColumnOp)]
    if len(dropped) != 1 or len(added) != 1:
        return {}
    try:
        old_type = dropped[0].to_column().type.compile(dialect=dialect)
        new_type = added[0].column.type.compile(dialect=dialect)
    except Exception:  # a type this dialect cannot compile: not provably the same column
        return {}
    return {dropped[0].column_name: added[0].column.name} if old_type == new_type else {}
