"""Alembic revision file -> operations, statically.

The file is parsed with `ast` and never imported or executed. Receivers are resolved by import
provenance (`from alembic import op as x`), `with op.batch_alter_table(...) as b:` binds `b` to
its table, `autocommit_block()` takes its body out of the migration's transaction, SQL given to
`op.execute` / `bind.execute` (str, `sa.text(...)`, implicit concatenation) goes through the SQL
front end, and dialect-guarded branches (`if bind.dialect.name == "mysql":`) are marked so other
dialects do not judge them. A value that cannot be resolved statically is None (unknown).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from pytest_releasesafe import model as m
from pytest_releasesafe.frontends import fast_unparse
from pytest_releasesafe.frontends.defaults import default_is_volatile
from pytest_releasesafe.frontends.detect import is_revision_file  # noqa: F401  (re-exported)
from pytest_releasesafe.frontends.sql_context import SQLGLOT_DIALECTS, Placement, SqlState, _with
from pytest_releasesafe.gc_pause import paused
from pytest_releasesafe.model import FunctionBody, Location, Migration, Operation, ParseProblem


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()
# The running database's dialect name: unknown statically, but comparing it guards a branch.
DIALECT_NAME: Any = _Unknown()

# Alembic's real positional signatures (alembic.operations.ops), for `op.X(...)` and `batch_op.X(...)`.
OP_SIGNATURES: dict[str, tuple[str, ...]] = {
    "create_index": ("index_name", "table_name", "columns", "schema", "unique"),
    "drop_index": ("index_name", "table_name", "schema"),
    "add_column": ("table_name", "column", "schema"),
    "drop_column": ("table_name", "column_name", "schema"),
    "alter_column": (
        "table_name",
        "column_name",
        "nullable",
        "comment",
        "server_default",
        "new_column_name",
        "type_",
        "existing_type",
        "existing_server_default",
        "existing_nullable",
        "existing_comment",
        "schema",
    ),
    "rename_table": ("old_table_name", "new_table_name", "schema"),
    "create_table": ("table_name",),
    "drop_table": ("table_name", "schema"),
    "create_foreign_key": ("constraint_name", "source_table", "referent_table", "local_cols", "remote_cols"),
    "create_unique_constraint": ("constraint_name", "table_name", "columns", "schema"),
    "create_check_constraint": ("constraint_name", "table_name", "condition", "schema"),
    "create_primary_key": ("constraint_name", "table_name", "columns", "schema"),
    "create_exclude_constraint": ("constraint_name", "table_name"),
    "drop_constraint": ("constraint_name", "table_name", "type_", "schema"),
    "execute": ("sqltext", "execution_options"),
    "bulk_insert": ("table", "rows", "multiinsert"),
}
BATCH_SIGNATURES: dict[str, tuple[str, ...]] = {
    "create_index": ("index_name", "columns"),
    "drop_index": ("index_name",),
    "add_column": ("column", "insert_before", "insert_after"),
    "drop_column": ("column_name",),
    "alter_column": (
        "column_name",
        "nullable",
        "comment",
        "server_default",
        "new_column_name",
        "type_",
        "existing_type",
        "existing_server_default",
        "existing_nullable",
        "existing_comment",
    ),
    "create_foreign_key": ("constraint_name", "referent_table", "local_cols", "remote_cols"),
    "create_unique_constraint": ("constraint_name", "columns"),
    "create_check_constraint": ("constraint_name", "condition"),
    "create_primary_key": ("constraint_name", "columns"),
    "create_exclude_constraint": ("constraint_name",),
    "drop_constraint": ("constraint_name", "type_"),
    "execute": ("sqltext", "execution_options"),
}
# op.create_*_constraint -> (constraint type, takes columns, accepts postgresql_not_valid).
_CONSTRAINT_METHODS: dict[str, tuple[str, bool, bool]] = {
    "create_check_constraint": ("check", False, True),
    "create_unique_constraint": ("unique", True, False),
    "create_primary_key": ("primary_key", True, False),
    "create_exclude_constraint": ("exclude", False, False),
}
# op.* calls that change nothing in the database.
HARMLESS = {
    "f",
    "inline_literal",
    "get_bind",
    "get_context",
    "batch_alter_table",
    "implementation_for",
    "register_operation",
}
COMMENT_OPS = {"create_table_comment", "drop_table_comment"}


@dataclass(frozen=True)
class Receiver:
    kind: str  # "op" | "batch" | "bind" | "context"
    table: str | None = None
    schema: str | None = None


_OP, _BIND, _CONTEXT = Receiver("op"), Receiver("bind"), Receiver("context")  # immutable: shared
_SELECTS = frozenset({"sqlalchemy.select", "sqlalchemy.sql.select", "sqlalchemy.future.select"})


@dataclass
class Scope:
    """What is known while walking one statement list."""

    receivers: dict[str, Receiver]
    constants: dict[str, Any]
    in_transaction: bool
    conditional: bool = False
    dialects: frozenset[str] | None = None

    def child(self, **changes: Any) -> Scope:
        return Scope(
            dict(self.receivers),
            dict(self.constants),
            **{
                "in_transaction": self.in_transaction,
                "conditional": self.conditional,
                "dialects": self.dialects,
                **changes,
            },
        )


@dataclass
class _Walker:
    path: str
    dialect: str
    phase: str
    module_functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]
    imports: dict[str, str]  # local name -> qualified name
    operations: list[Operation] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    sql_state: SqlState = field(default_factory=lambda: SqlState(in_transaction=True))
    visiting: set[str] = field(default_factory=set)

    # -- statements -------------------------------------------------------------------------------
    def walk(self, body: list[ast.stmt], scope: Scope) -> None:
        for statement in body:
            self.statement(statement, scope)

    def statement(self, node: ast.stmt, scope: Scope) -> None:
        if isinstance(node, ast.Expr):
            self.expression(node.value, scope)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            value = node.value
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if value is None:
                return
            receiver = self.receiver_of(value, scope)
            for target in targets:
                if isinstance(target, ast.Name):
                    if receiver is not None:
                        scope.receivers[target.id] = receiver
                    else:
                        scope.receivers.pop(target.id, None)
                        scope.constants[target.id] = self.resolve(value, scope)
            self.expression(value, scope)
        elif isinstance(node, ast.With):
            inner = scope.child()
            for item in node.items:
                ctx = item.context_expr
                if self.is_autocommit_block(ctx, scope):
                    inner.in_transaction = False
                    continue
                receiver = self.receiver_of(ctx, scope)
                if receiver is not None and isinstance(item.optional_vars, ast.Name):
                    inner.receivers[item.optional_vars.id] = receiver
                else:
                    self.expression(ctx, scope)
            self.walk(node.body, inner)
        elif isinstance(node, ast.If):
            guard = self.dialect_guard(node.test, scope)
            if guard is None:
                self.expression(node.test, scope)
                self.walk(node.body, scope.child(conditional=True))
                self.walk(node.orelse, scope.child(conditional=True))
            else:
                allowed, denied = guard
                self.walk(node.body, scope.child(dialects=_narrow(scope.dialects, allowed)))
                self.walk(node.orelse, scope.child(dialects=_narrow(scope.dialects, denied)))
        elif isinstance(node, (ast.For, ast.AsyncFor)) and self.unrolled(node, scope):
            self.walk(node.orelse, scope.child(conditional=True))
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            if isinstance(node, (ast.For, ast.AsyncFor)):
                self.expression(node.iter, scope)
            inner = scope.child(conditional=True)
            if isinstance(node, (ast.For, ast.AsyncFor)) and isinstance(node.target, ast.Name):
                inner.constants[node.target.id] = UNKNOWN
            self.walk(node.body, inner)
            self.walk(node.orelse, scope.child(conditional=True))
        elif isinstance(node, (ast.Try, ast.TryStar)):
            self.walk(node.body, scope.child(conditional=True))
            for handler in node.handlers:
                self.walk(handler.body, scope.child(conditional=True))
            self.walk(node.orelse, scope.child(conditional=True))
            self.walk(node.finalbody, scope)
        elif isinstance(node, ast.Return) and node.value is not None:
            self.expression(node.value, scope)

    def unrolled(self, node: ast.For | ast.AsyncFor, scope: Scope) -> bool:
        """A loop over literal values (`for table in ["params", "tags"]`, or a module tuple of pairs)
        walked once per value, so each operation names its table; False when the values are unknown."""
        values = self.resolve(node.iter, scope)
        if not isinstance(values, tuple) or not 0 < len(values) <= _UNROLL_LIMIT:
            return False
        bindings = [_bind_loop_target(node.target, value) for value in values]
        if any(b is None for b in bindings):
            return False
        start = len(self.operations)
        for binding in bindings:
            inner = scope.child(conditional=True)
            inner.constants.update(binding or {})
            self.walk(node.body, inner)
        # An iteration that did not use its values (names still unknown) repeats the same operations.
        unique: list[Operation] = []
        for op in self.operations[start:]:
            if op not in unique:
                unique.append(op)
        self.operations[start:] = unique
        return True

    def expression(self, node: ast.expr, scope: Scope) -> None:
        for call in _calls_in(node):
            self.call(call, scope)

    # -- calls -------------------------------------------------------------------------------------
    def call(self, node: ast.Call, scope: Scope) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in self.module_functions and func.id not in self.visiting:
            # A module-level helper called from upgrade(): its operations are this migration's.
            self.visiting.add(func.id)
            helper = self.module_functions[func.id]
            inner = scope.child()
            for arg in helper.args.args:
                inner.constants[arg.arg] = UNKNOWN
            self.walk(helper.body, inner)
            self.visiting.discard(func.id)
            return
        if self.is_create_table_helper(node, scope):
            # A project helper such as Superset's `create_table("t", sa.Column(...), ...)`: it creates
            # that table (later indexes and keys on it are on an empty table), whatever else it does.
            loc = Location(self.path, node.lineno, node.col_offset + 1, node.end_lineno or node.lineno)
            args = self.bind_arguments(node, OP_SIGNATURES["create_table"], scope)
            for op in self.operations_for("create_table", args, node, loc, scope):
                self.emit(op, scope)
            return
        if not isinstance(func, ast.Attribute):
            for argument in [*node.args, *(k.value for k in node.keywords)]:
                self.expression(argument, scope)
            return
        receiver = self.receiver_of(func.value, scope)
        if receiver is None and func.attr in ("update", "delete"):
            query = self.orm_query(func.value, scope)
            if query is not None:  # session.query(Model).filter(...).update({...})
                model, filtered = query
                line = Location(self.path, node.lineno, node.col_offset + 1)
                detail = (("statement", func.attr.upper()), ("has_where", filtered), ("batched", False))
                self.emit(Operation(m.DATA_CHANGE, line, table=model, source="alembic", detail=detail), scope)
                return
        if receiver is None:
            # Not an operation itself (e.g. `results.append(op.execute(...))`): look at its arguments.
            for argument in [*node.args, *(k.value for k in node.keywords)]:
                self.expression(argument, scope)
            return
        method = func.attr
        loc = Location(
            self.path,
            node.lineno,
            node.col_offset + 1,
            node.end_lineno or node.lineno,
            (node.end_col_offset or 0) + 1,
        )
        if receiver.kind == "bind" and method in ("execute", "exec_driver_sql"):
            self.execute(node, node.args[0] if node.args else None, loc, scope)
            return
        if receiver.kind not in ("op", "batch"):
            return
        signature = (BATCH_SIGNATURES if receiver.kind == "batch" else OP_SIGNATURES).get(method)
        if signature is None:
            if method in HARMLESS or method in COMMENT_OPS:
                return
            self.emit(
                Operation(m.UNRECOGNIZED, loc, detail=(("reason", f"op.{method}() is not analysed"),)), scope
            )
            return
        args = self.bind_arguments(node, signature, scope)
        args["*receiver"] = receiver.kind
        if receiver.kind == "batch":
            args.setdefault("table_name", receiver.table)
            args.setdefault("source_table", receiver.table)
            args.setdefault("schema", receiver.schema)
        if method == "execute":
            self.execute(node, node.args[0] if node.args else _kw(node, "sqltext"), loc, scope)
            return
        for op in self.operations_for(method, args, node, loc, scope):
            self.emit(op, scope)

    def is_create_table_helper(self, node: ast.Call, scope: Scope) -> bool:
        """A call to a function named create_table that is not an Alembic receiver's, given a literal
        table name and sa.Column(...) arguments."""
        func = node.func
        if isinstance(func, ast.Name):
            if func.id != "create_table":
                return False
        elif not isinstance(func, ast.Attribute) or func.attr != "create_table":
            return False
        elif self.receiver_of(func.value, scope) is not None:
            return False
        return (
            bool(node.args)
            and isinstance(self.resolve(node.args[0], scope), str)
            and any(
                isinstance(arg, ast.Call)
                and (getattr(arg.func, "attr", None) or getattr(arg.func, "id", None)) == "Column"
                for arg in node.args[1:]
            )
        )

    def bind_arguments(self, node: ast.Call, signature: tuple[str, ...], scope: Scope) -> dict[str, Any]:
        args: dict[str, Any] = {}
        for name, value in zip(signature, node.args, strict=False):  # fewer args than the signature is normal
            args[name] = self.resolve(value, scope)
        args["*extra"] = [value for value in node.args[len(signature) :]]
        for keyword in node.keywords:
            if keyword.arg is None:
                args["**unknown"] = True  # **kwargs: any dialect option may be set
            elif keyword.arg == "server_default":
                args[keyword.arg] = self.resolve_server_default(keyword.value, scope)
            else:
                args[keyword.arg] = self.resolve(keyword.value, scope)
                args["@" + keyword.arg] = keyword.value
        return args

    def emit(self, op: Operation, scope: Scope) -> None:
        op = _with(
            op,
            phase=self.phase,
            in_transaction=scope.in_transaction,
            conditional=scope.conditional,
            dialects=scope.dialects,
            source=op.source if op.source != "sql" or op.sql else "alembic",
        )
        if op.kind == m.CREATE_TABLE and op.table:
            self.sql_state.new_tables.add(op.table.lower())
        elif op.table and op.table.lower() in self.sql_state.new_tables:
            op = _with(op, table_is_new=True)
            if op.kind == m.RENAME_TABLE and op.new_name:
                self.sql_state.new_tables.add(op.new_name.lower())
        self.operations.append(op)

    def execute(self, node: ast.Call, sql_node: ast.expr | None, loc: Location, scope: Scope) -> None:
        if sql_node is None:
            return
        data_change = self.sqlalchemy_data_change(sql_node, scope)
        if data_change is not None:
            self.emit(_with(data_change, location=loc), scope)
            return
        sql = self.resolve(sql_node, scope)
        if isinstance(sql, _Sql):
            sql = sql.text
        if isinstance(sql, _TypeRef) and sql.name in ("DropSequence", "CreateSequence"):
            sequence = _sequence_ddl(sql, sql_node)
            if sequence is not None:
                self.emit(_with(sequence, location=loc), scope)
                return
        if not isinstance(sql, str):
            self.emit(
                Operation(
                    m.UNRECOGNIZED, loc, detail=(("reason", "SQL computed at run time is not analysed"),)
                ),
                scope,
            )
            return
        string_node = _string_node(sql_node)
        line = string_node.lineno if string_node is not None else loc.line
        column = (string_node.col_offset + 1) if string_node is not None else loc.column
        self.sql_state.in_transaction = scope.in_transaction
        # SQL in a branch guarded for another database is written in that database's dialect: read it
        # that way when we know it, and never report it as invalid for the dialect being linted.
        elsewhere = scope.dialects is not None and self.dialect not in scope.dialects
        dialect = self.dialect
        if elsewhere and scope.dialects is not None and len(scope.dialects) == 1:
            (only,) = scope.dialects
            dialect = only if only in SQLGLOT_DIALECTS else self.dialect
        from pytest_releasesafe.frontends.sql import parse_sql  # sqlglot: only for revisions with SQL

        operations, problems = parse_sql(
            sql,
            Placement(self.path, line, column, inside_python=True, at_call=string_node is None),
            dialect,
            self.sql_state,
            phase=self.phase,
            dialects=scope.dialects,
            conditional=scope.conditional,
        )
        self.operations.extend(operations)
        if not elsewhere:
            self.problems.extend(problems)

    def sqlalchemy_data_change(self, node: ast.expr, scope: Scope) -> Operation | None:
        """`sa.update(t)...`, `t.update()`, `sa.delete(t)`, `sa.insert(t).from_select(...)` built in Python."""
        for call in _calls_in(node):
            func = call.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else None
            )
            qualified = self.qualified(func)
            if (
                name in ("update", "delete", "insert")
                and (qualified or "").startswith("sqlalchemy")
                or (
                    name in ("update", "delete")
                    and isinstance(func, ast.Attribute)
                    and not call.args
                    and self.qualified(func) is None
                )
            ):
                table = None
                if call.args:
                    target = call.args[0]
                    table = self.table_name_of(target, scope)
                elif isinstance(func, ast.Attribute):
                    table = self.table_name_of(func.value, scope)
                has_where = any(
                    isinstance(c.func, ast.Attribute) and c.func.attr == "where" for c in _calls_in(node)
                )
                return Operation(
                    m.DATA_CHANGE,
                    Location(self.path, call.lineno),
                    table=table,
                    source="alembic",
                    detail=(("statement", name.upper()), ("has_where", has_where), ("batched", False)),
                )
        return None

    def table_name_of(self, node: ast.expr, scope: Scope) -> str | None:
        value = self.resolve(node, scope)
        if isinstance(value, _TableRef):
            return value.name
        if isinstance(value, str):
            return value
        return None

    # -- operation construction -------------------------------------------------------------------
    def operations_for(
        self, method: str, a: dict[str, Any], node: ast.Call, loc: Location, scope: Scope
    ) -> list[Operation]:
        table = _str(a.get("table_name"))
        schema = _str(a.get("schema"))
        base: dict[str, Any] = dict(table=table, schema=schema, source="alembic")
        if method == "create_index":
            return [
                Operation(
                    m.CREATE_INDEX,
                    loc,
                    index=_str(a.get("index_name")),
                    columns=_names(a.get("columns")),
                    unique=a.get("unique") is True,
                    concurrently=_flag(a, "postgresql_concurrently"),
                    # the call as written (every argument of the index), for advice that keeps them
                    detail=(("call_source", fast_unparse.unparse(node)),)
                    if a.get("*receiver") == "op"
                    else (),
                    **base,
                )
            ]
        if method == "drop_index":
            return [
                Operation(
                    m.DROP_INDEX,
                    loc,
                    index=_str(a.get("index_name")),
                    concurrently=_flag(a, "postgresql_concurrently"),
                    if_exists=a.get("if_exists") is True,
                    **base,
                )
            ]
        if method == "add_column":
            column = a.get("column")
            if not isinstance(column, _Column):
                return [Operation(m.ADD_COLUMN, loc, nullable=None, has_default=None, **base)]
            added = column.operation(loc, base)
            if a.get("inline_references") is True:  # Alembic >= 1.18.2: REFERENCES inside the ADD COLUMN
                added = _with(added, detail=added.detail + (("inline_references", True),))
            return [added]
        if method == "drop_column":
            return [Operation(m.DROP_COLUMN, loc, column=_str(a.get("column_name")), **base)]
        if method == "alter_column":
            return self.alter_column(a, loc, base)
        if method == "rename_table":
            return [
                Operation(
                    m.RENAME_TABLE,
                    loc,
                    table=_str(a.get("old_table_name")),
                    schema=schema,
                    new_name=_str(a.get("new_table_name")),
                    source="alembic",
                )
            ]
        if method == "create_table":
            columns = [self.resolve(arg, scope) for arg in node.args[1:]]
            names = tuple(c.name for c in columns if isinstance(c, _Column) and c.name)
            json_columns = tuple(
                c.name for c in columns if isinstance(c, _Column) and c.name and _is_json_type(c.type)
            )
            table_pk = {
                a
                for v in columns
                if isinstance(v, _TypeRef) and v.name == "PrimaryKeyConstraint"
                for a in v.args
                if isinstance(a, str)
            }
            column_defs = tuple(
                (c.name, c.type, c.primary_key or c.name in table_pk, c.identity)
                for c in columns
                if isinstance(c, _Column) and c.name
            )
            return [
                Operation(
                    m.CREATE_TABLE,
                    loc,
                    columns=names,
                    detail=(
                        ("json_columns", json_columns),
                        ("column_defs", column_defs),
                        ("table_spec", _table_spec(columns)),
                    ),
                    **base,
                )
            ]
        if method == "drop_table":
            return [Operation(m.DROP_TABLE, loc, **base)]
        if method == "create_foreign_key":
            return [
                Operation(
                    m.ADD_CONSTRAINT,
                    loc,
                    table=_str(a.get("source_table")),
                    schema=_str(a.get("source_schema")),
                    constraint=_str(a.get("constraint_name")),
                    constraint_type="foreign_key",
                    references=_str(a.get("referent_table")),
                    columns=_names(a.get("local_cols")),
                    not_valid=_flag(a, "postgresql_not_valid"),
                    source="alembic",
                    detail=(("remote_columns", _names(a.get("remote_cols"))),),
                )
            ]
        if method in _CONSTRAINT_METHODS:
            constraint_type, has_columns, may_be_not_valid = _CONSTRAINT_METHODS[method]
            return [
                Operation(
                    m.ADD_CONSTRAINT,
                    loc,
                    constraint=_str(a.get("constraint_name")),
                    constraint_type=constraint_type,
                    columns=_names(a.get("columns")) if has_columns else (),
                    not_valid=_flag(a, "postgresql_not_valid") if may_be_not_valid else False,
                    detail=(("condition", _str(a.get("condition"))),) if constraint_type == "check" else (),
                    **base,
                )
            ]
        if method == "drop_constraint":
            type_ = _str(a.get("type_"))
            dropped_type = {
                "foreignkey": "foreign_key",
                "unique": "unique",
                "check": "check",
                "primary": "primary_key",
            }.get(type_ or "", None)
            return [
                Operation(
                    m.DROP_CONSTRAINT,
                    loc,
                    constraint=_str(a.get("constraint_name")),
                    constraint_type=dropped_type,
                    if_exists=a.get("if_exists") is True,
                    **base,
                )
            ]
        if method == "bulk_insert":
            target = a.get("table")
            return [
                Operation(
                    m.DATA_CHANGE,
                    loc,
                    table=target.name if isinstance(target, _TableRef) else None,
                    schema=schema,
                    source="alembic",
                    detail=(("statement", "BULK INSERT"), ("bulk_insert", True), ("batched", True)),
                )
            ]
        return []

    def alter_column(self, a: dict[str, Any], loc: Location, base: dict) -> list[Operation]:
        column = _str(a.get("column_name"))
        ops: list[Operation] = []
        if "type_" in a:
            type_ = a["type_"]
            existing = a.get("existing_type")
            ops.append(
                Operation(
                    m.ALTER_COLUMN_TYPE,
                    loc,
                    column=column,
                    type=_type_name(type_),
                    old_type=_type_name(existing) if existing is not None else None,
                    detail=(
                        ("using", _str(a.get("postgresql_using"))),
                        ("type_source", _source(a.get("@type_"))),
                        ("existing_type_source", _source(a.get("@existing_type"))),
                    ),
                    **base,
                )
            )
        if "nullable" in a:
            nullable = a["nullable"]
            existing = a.get("existing_nullable")  # equal to `nullable`: Postgres skips the no-op change
            was = (("existing_nullable", existing),) if isinstance(existing, bool) else ()
            if nullable is False:
                ops.append(Operation(m.SET_NOT_NULL, loc, column=column, nullable=False, detail=was, **base))
            elif nullable is True:
                ops.append(Operation(m.DROP_NOT_NULL, loc, column=column, nullable=True, detail=was, **base))
            elif nullable is UNKNOWN:
                ops.append(Operation(m.SET_NOT_NULL, loc, column=column, nullable=None, detail=was, **base))
        if "server_default" in a:
            default = a["server_default"]
            if default is None:
                ops.append(Operation(m.DROP_DEFAULT, loc, column=column, has_default=False, **base))
            elif default is not False:
                default_sql = _default_sql(default)
                ops.append(
                    Operation(
                        m.SET_DEFAULT,
                        loc,
                        column=column,
                        has_default=True,
                        default_sql=default_sql,
                        default_volatile=_default_volatility(default, default_sql),
                        **base,
                    )
                )
        if a.get("new_column_name") is not None:
            ops.append(
                Operation(
                    m.RENAME_COLUMN,
                    loc,
                    column=column,
                    new_name=_str(a.get("new_column_name")),
                    detail=(("existing_type_source", _source(a.get("@existing_type"))),),
                    **base,
                )
            )
        return ops or [
            Operation(m.ALTER_TABLE_OTHER, loc, column=column, detail=(("action", "alter_column"),), **base)
        ]

    # -- resolution --------------------------------------------------------------------------------
    def qualified(self, node: ast.expr) -> str | None:
        """`sa.Column` -> 'sqlalchemy.Column' by import provenance; None when not from an import."""
        kind = type(node)
        if kind is ast.Attribute:
            attribute = cast(ast.Attribute, node)
            owner = attribute.value
            if type(owner) is ast.Name:  # `sa.Column`: most of what is asked
                base = self.imports.get(owner.id)
                return None if base is None else f"{base}.{attribute.attr}"
        elif kind is ast.Name:
            return self.imports.get(cast(ast.Name, node).id)
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Name) and node.id in self.imports:
            return ".".join([self.imports[node.id], *reversed(parts)])
        return None

    def builds_select(self, node: ast.Call, qualified: str | None = None) -> bool:
        """`sa.select(...)`, and chains on it (`.where(...).distinct()`). `qualified`: of `node.func`,
        when the caller has it already."""
        if (qualified if qualified is not None else self.qualified(node.func)) in _SELECTS:
            return True
        while True:
            node = node.func.value if isinstance(node.func, ast.Attribute) else None  # type: ignore[assignment]
            if not isinstance(node, ast.Call):
                return False
            if self.qualified(node.func) in _SELECTS:
                return True

    def orm_query(self, node: ast.expr, scope: Scope) -> tuple[str | None, bool] | None:
        """For `session.query(M).filter(...)` on a session bound to the migration's connection: (the
        model's name, whether it is filtered); None when `node` is no such query."""
        filtered = False
        while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "query":
                owner = self.receiver_of(node.func.value, scope)
                model = _source_text(node.args[0]) if node.args else None
                return (model, filtered) if owner is not None and owner.kind == "bind" else None
            filtered = filtered or node.func.attr in ("filter", "filter_by", "where")
            node = node.func.value
        return None

    def receiver_of(self, node: ast.expr, scope: Scope) -> Receiver | None:
        kind = type(node)
        if kind is ast.Name:
            name = cast(ast.Name, node).id
            if name in scope.receivers:
                return scope.receivers[name]
            return _OP if self.imports.get(name) == "alembic.op" else None
        if kind is ast.Call:
            call = cast(ast.Call, node)
            func = call.func
            called = self.qualified(func) or ""
            if called.startswith("sqlalchemy.orm") and called.endswith("Session"):
                # Session(bind=op.get_bind()): its execute() runs on the migration's connection.
                owners = [self.receiver_of(v, scope) for v in [*call.args, *(k.value for k in call.keywords)]]
                return _BIND if any(o is not None and o.kind == "bind" for o in owners) else None
            if isinstance(func, ast.Attribute):
                owner = self.receiver_of(func.value, scope)
                if owner is not None and owner.kind in ("op",) and func.attr == "batch_alter_table":
                    args = self.bind_arguments(call, ("table_name", "schema"), scope)
                    return Receiver("batch", _str(args.get("table_name")), _str(args.get("schema")))
                if owner is not None and func.attr == "get_bind":
                    return _BIND
                if owner is not None and func.attr == "get_context":
                    return _CONTEXT
                if owner is not None and owner.kind == "context" and func.attr in ("bind", "connection"):
                    return _BIND
                if called == "alembic.context.get_context":
                    return _CONTEXT
                if owner is not None and owner.kind == "bind" and func.attr in ("connect", "begin"):
                    return _BIND
            return None
        if kind is ast.Attribute:
            attribute = cast(ast.Attribute, node)
            qualified = self.qualified(attribute)
            if qualified == "alembic.op":
                return _OP
            owner = self.receiver_of(attribute.value, scope)
            if owner is not None and owner.kind == "context" and attribute.attr in ("bind", "connection"):
                return _BIND
            if qualified == "alembic.context.bind":
                return _BIND
        return None

    def is_autocommit_block(self, node: ast.expr, scope: Scope) -> bool:
        return (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "autocommit_block"
            and self.receiver_of(node.func.value, scope) is not None
        )

    def dialect_guard(
        self, test: ast.expr, scope: Scope
    ) -> tuple[frozenset[str], frozenset[str] | None] | None:
        """For `X.dialect.name == 'postgresql'` (or !=, in, not in; `not`, and/or of them, or a variable
        holding one): (dialects of body, of else; None when the else branch may run anywhere)."""
        if isinstance(test, ast.Name):
            stored = scope.constants.get(test.id)
            return stored.guard if isinstance(stored, _DialectTest) else None
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = self.dialect_guard(test.operand, scope)
            return (inner[1], inner[0]) if inner is not None and inner[1] is not None else None
        if isinstance(test, ast.BoolOp):
            guards = [self.dialect_guard(value, scope) for value in test.values]
            known = [g for g in guards if g is not None]
            if isinstance(test.op, ast.And) and known:
                return frozenset.intersection(*(g[0] for g in known)), None
            if isinstance(test.op, ast.Or) and known and len(known) == len(guards):
                allowed = frozenset.union(*(g[0] for g in known))
                return allowed, _complement(allowed)
            return None
        dialect_class = _isinstance_dialect(test)
        if dialect_class is not None:
            return dialect_class, _complement(dialect_class)
        if not isinstance(test, ast.Compare) or len(test.ops) != 1:
            return None
        left, right = test.left, test.comparators[0]
        if not self.is_dialect_name(left, scope):
            left, right = right, left
            if not self.is_dialect_name(left, scope):
                return None
        value = self.resolve(right, scope)
        names = (
            frozenset({value})
            if isinstance(value, str)
            else frozenset(v for v in value)
            if isinstance(value, tuple) and all(isinstance(v, str) for v in value)
            else None
        )
        if names is None:
            return None
        names = frozenset(_normalise_dialect(n) for n in names)
        if isinstance(test.ops[0], (ast.Eq, ast.In, ast.Is)):
            return names, _complement(names)
        if isinstance(test.ops[0], (ast.NotEq, ast.NotIn, ast.IsNot)):
            return _complement(names), names
        return None

    def is_dialect_name(self, node: ast.expr, scope: Scope) -> bool:
        """`bind.dialect.name`, or a variable it was stored in (`dialect = op.get_bind().dialect.name`)."""
        return _is_dialect_name(node) or (
            isinstance(node, ast.Name) and scope.constants.get(node.id) is DIALECT_NAME
        )

    def resolve(self, node: ast.expr, scope: Scope) -> Any:
        # Dispatched on the exact node class (the parser makes no subclasses), most frequent first:
        # this runs for every argument of every call, the rows of a bulk_insert included.
        kind = type(node)
        if kind is ast.Constant:
            return node.value  # type: ignore[attr-defined]
        if kind is ast.Name:
            return scope.constants.get(node.id, UNKNOWN)  # type: ignore[attr-defined]
        if kind is ast.Call:
            call = cast(ast.Call, node)
            if _isinstance_dialect(call) is not None:
                guard = self.dialect_guard(call, scope)
                if guard is not None:
                    return _DialectTest(guard)  # `is_mysql = isinstance(bind.dialect, MySQLDialect)`
            return self.resolve_call(call, scope)
        if kind is ast.Attribute:
            if _is_dialect_name(node):
                return DIALECT_NAME
            qualified = self.qualified(node)
            if qualified and qualified.startswith("sqlalchemy"):
                return _TypeRef(node.attr)  # type: ignore[attr-defined]
            return UNKNOWN
        if kind is ast.List or kind is ast.Tuple:
            return tuple(self.resolve(e, scope) for e in node.elts)  # type: ignore[attr-defined]
        if kind is ast.Compare or kind is ast.BoolOp:
            guard = self.dialect_guard(node, scope)
            # `is_pg = bind.dialect.name == "postgresql"`, tested later
            return UNKNOWN if guard is None else _DialectTest(guard)
        if kind is ast.UnaryOp:
            unary = cast(ast.UnaryOp, node)
            if not isinstance(unary.op, ast.Not):
                return UNKNOWN
            guard = self.dialect_guard(unary, scope)
            if guard is not None:
                return _DialectTest(guard)
            inner = self.resolve(unary.operand, scope)
            return UNKNOWN if inner is UNKNOWN else not inner
        if kind is ast.BinOp:
            binary = cast(ast.BinOp, node)
            if not isinstance(binary.op, ast.Add):
                return UNKNOWN
            left, right = self.resolve(binary.left, scope), self.resolve(binary.right, scope)
            if isinstance(left, str) and isinstance(right, str):
                return left + right
            return UNKNOWN
        if kind is ast.JoinedStr:
            parts = []
            for value in cast(ast.JoinedStr, node).values:
                if isinstance(value, ast.Constant):
                    parts.append(str(value.value))
                elif isinstance(value, ast.FormattedValue):
                    inner = self.resolve(value.value, scope)
                    if not isinstance(inner, (str, int)):
                        return UNKNOWN
                    parts.append(str(inner))
            return "".join(parts)
        return UNKNOWN

    def resolve_server_default(self, node: ast.expr, scope: Scope) -> Any:
        """A Python string (an f-string too) is rendered by SQLAlchemy as a quoted SQL literal. So is
        an imported constant (`constants.ACTIVE`, `DEFAULT_STATE`): UPPER_CASE names a module constant,
        and a constant passed as `server_default=` is a string; a lower-case name stays unknown."""
        value = self.resolve(node, scope)
        if value is UNKNOWN and (isinstance(node, ast.JoinedStr) or _constant_name(node)):
            return LITERAL_NOT_KNOWN
        return value

    def resolve_call(self, node: ast.Call, scope: Scope) -> Any:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        qualified = self.qualified(func) or ""
        if self.builds_select(node, qualified):
            return _Sql("SELECT")  # sa.select(...).where(...): a read, whatever it selects
        # The first argument is resolved only by the branches that read it (resolving changes nothing).
        if name in ("execution_options", "bindparams", "columns", "params") and isinstance(
            func, ast.Attribute
        ):
            inner = self.resolve(func.value, scope)  # sa.text("...").execution_options(...) is still that SQL
            if isinstance(inner, _Sql):
                return inner
        if name in ("text", "literal_column") and (qualified.startswith("sqlalchemy") or qualified == ""):
            first = self.resolve(node.args[0], scope) if node.args else UNKNOWN
            if isinstance(first, str):
                return _Sql(first)
            return LITERAL_NOT_KNOWN if node.args and _quoted_template(node.args[0]) else UNKNOWN
        if name == "f" and self.receiver_of(func.value, scope) if isinstance(func, ast.Attribute) else False:
            return self.resolve(node.args[0], scope) if node.args else UNKNOWN
        if name == "Column" and (qualified.startswith("sqlalchemy") or qualified == ""):
            return self.column(node, scope)
        if name in ("table", "Table") and (qualified.startswith("sqlalchemy") or qualified == ""):
            first = self.resolve(node.args[0], scope) if node.args else UNKNOWN
            return _TableRef(first if isinstance(first, str) else None)
        if qualified.startswith("sqlalchemy.func.") or (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "func"
        ):
            if name.lower() in _ANSI_FUNCTIONS and not node.args:
                return _Sql(name.upper())  # SQLAlchemy renders these as SQL keywords: LOCALTIMESTAMP, no ()
            return _Sql(f"{name}()")
        if qualified.startswith("sqlalchemy") or qualified.startswith("alembic") or name[:1].isupper():
            return _TypeRef(name, tuple(self.resolve(a, scope) for a in node.args))
        return UNKNOWN

    def column(self, node: ast.Call, scope: Scope) -> _Column:
        values = [self.resolve(a, scope) for a in node.args]
        name = values[0] if values and isinstance(values[0], str) else None
        # One pass over the arguments: the first type, the first ForeignKey("t.c"), Identity, Computed.
        type_index: int | None = None
        references: str | None = None
        identity = False
        computed: _TypeRef | None = None
        for i, v in enumerate(values):
            if type(v) is not _TypeRef:
                continue
            if v.name == "ForeignKey":
                if references is None and v.args and isinstance(v.args[0], str):
                    references = v.args[0].split(".")[0]
            elif v.name == "Identity":
                identity = True
            elif v.name == "Computed":
                if computed is None:
                    computed = v
            elif v.name != "Sequence" and type_index is None:
                type_index = i
        # The type as the user wrote it (sa.BigInteger()), so recipes can be pasted back as code.
        type_ = _TypeRef(_source_text(node.args[type_index]), ()) if type_index is not None else None
        keywords = {
            k.arg: self.resolve_server_default(k.value, scope)
            if k.arg == "server_default"
            else self.resolve(k.value, scope)
            for k in node.keywords
            if k.arg
        }
        primary_key = keywords.get("primary_key") is True
        nullable = keywords.get("nullable", not primary_key)
        server_default = keywords.get("server_default")
        return _Column(
            name=name,
            type=_type_name(type_) if type_ is not None else None,
            nullable=nullable if isinstance(nullable, bool) else None,
            server_default=server_default,
            references=references,
            identity=identity,
            generated_stored=computed is not None,
            generated_expression=next((a for a in computed.args if isinstance(a, str)), None)
            if computed
            else None,
            has_python_default="default" in keywords,
            primary_key=primary_key,
            unique=keywords.get("unique") is True,
        )


@dataclass(frozen=True)
class _Sql:
    text: str

    def __str__(self) -> str:
        return self.text


_UNROLL_LIMIT = 64  # values of a literal loop walked one by one; a longer loop is read once, unknown


def _bind_loop_target(target: ast.expr, value: Any) -> dict[str, Any] | None:
    """`for name in …` / `for old, new in …`: the loop variables for one value (None: not bindable)."""
    if isinstance(target, ast.Name) and isinstance(value, (str, int)):
        return {target.id: value}
    if (
        isinstance(target, ast.Tuple)
        and isinstance(value, tuple)
        and len(target.elts) == len(value)
        and all(isinstance(t, ast.Name) for t in target.elts)
        and all(isinstance(v, (str, int)) for v in value)
    ):
        return {cast(ast.Name, t).id: v for t, v in zip(target.elts, value, strict=True)}
    return None


# sa.func names SQLAlchemy renders without parentheses (its ANSI functions): `localtimestamp()`
# is a syntax error on Postgres, and these are STABLE, not volatile.
_ANSI_FUNCTIONS = frozenset(
    {
        "current_date",
        "current_time",
        "current_timestamp",
        "current_user",
        "localtime",
        "localtimestamp",
        "session_user",
        "user",
    }
)


def _constant_name(node: ast.expr) -> bool:
    """`DEFAULT_STATE` or `constants.ACTIVE`: a PEP 8 module constant."""
    name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
    return name.isupper()


class _LiteralNotKnown:
    """A SQL string literal whose text is computed in Python (`sa.text(f"'{NAME}'")`): a constant,
    so not volatile, but its value is not known statically."""


LITERAL_NOT_KNOWN = _LiteralNotKnown()


def _quoted_template(node: ast.expr) -> bool:
    """`f"'{X}'"`: one quoted SQL literal around the computed parts (no other quote in the text)."""
    if not isinstance(node, ast.JoinedStr) or len(node.values) < 2:
        return False
    first, last = node.values[0], node.values[-1]
    texts = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    return (
        isinstance(first, ast.Constant)
        and isinstance(last, ast.Constant)
        and str(first.value).startswith("'")
        and str(last.value).endswith("'")
        and sum(t.count("'") for t in texts) == 2
    )


@dataclass(frozen=True)
class _DialectTest:
    """A dialect comparison stored in a variable: the (body, else) dialects it allows when tested."""

    guard: tuple[frozenset[str], frozenset[str] | None]


@dataclass(frozen=True)
class _TypeRef:
    name: str
    args: tuple = ()


@dataclass(frozen=True)
class _TableRef:
    name: str | None


@dataclass(frozen=True)
class _Column:
    name: str | None
    type: str | None
    nullable: bool | None
    server_default: Any
    references: str | None
    identity: bool
    generated_stored: bool
    has_python_default: bool
    primary_key: bool = False
    unique: bool = False
    generated_expression: str | None = None

    def operation(self, loc: Location, base: dict) -> Operation:
        # `server_default=<expression computed in Python>`: a default is set, its SQL is unknown (not
        # "no default", which would contradict the volatile-default rule on the same column).
        has_default = self.server_default is not None
        default_sql = _default_sql(self.server_default) if has_default else None
        details: list[tuple[str, Any]] = []
        if self.unique:
            details.append(("unique", True))  # sa.Column(..., unique=True): an inline UNIQUE constraint
        if self.identity:
            details.append(("identity", True))
        if self.generated_stored:
            details.append(("generated_stored", True))
            details.append(("generated_expression", self.generated_expression))
        if self.has_python_default:
            details.append(("python_default", True))
        if (self.type or "").upper() in ("SERIAL", "BIGSERIAL"):
            details.append(("serial", True))
        return Operation(
            m.ADD_COLUMN,
            loc,
            column=self.name,
            type=self.type,
            nullable=self.nullable,
            has_default=has_default,
            default_sql=default_sql,
            default_volatile=_default_volatility(self.server_default, default_sql) if has_default else None,
            references=self.references,
            constraint_type="foreign_key" if self.references else None,
            detail=tuple(details),
            **base,
        )


def _sequence_ddl(element: _TypeRef, node: ast.expr) -> Operation | None:
    """`sa.schema.DropSequence(sa.Sequence("name"))` (and CreateSequence): SQLAlchemy's DDL elements."""
    sequence = element.args[0] if element.args else None
    if not (isinstance(sequence, _TypeRef) and sequence.name == "Sequence" and sequence.args):
        return None
    name = sequence.args[0] if isinstance(sequence.args[0], str) else None
    if_exists = isinstance(node, ast.Call) and any(
        k.arg == "if_exists" and isinstance(k.value, ast.Constant) and k.value.value is True
        for k in node.keywords
    )
    kind = m.DROP_OBJECT if element.name == "DropSequence" else m.CREATE_OBJECT
    return Operation(
        kind, Location("", 1), object_type="sequence", object_name=name, if_exists=if_exists, source="alembic"
    )


def _source_text(node: ast.expr) -> str:
    """Source of a simple expression like `sa.String(64)`; ast.unparse for anything else (slower)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_source_text(node.value)}.{node.attr}"
    if (
        isinstance(node, ast.Call)
        and not node.keywords
        and all(isinstance(a, ast.Constant) for a in node.args)
    ):
        # all() above does not narrow the elements for the type checker
        return f"{_source_text(node.func)}({', '.join(repr(cast(ast.Constant, a).value) for a in node.args)})"
    return fast_unparse.unparse(node)


def _default_volatility(value: Any, default_sql: str | None) -> bool | None:
    if value is LITERAL_NOT_KNOWN:
        return False  # a string literal, whatever its text
    return default_is_volatile(default_sql) if default_sql else None


def _default_sql(value: Any) -> str | None:
    if isinstance(value, _Sql):
        return value.text
    if isinstance(value, _TypeRef) and value.name in ("true", "false", "null") and not value.args:
        return value.name  # sa.true(), sa.false(), sa.null(): SQL constants
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return None


_TABLE_CONSTRAINTS = {"PrimaryKeyConstraint": "primary_key", "UniqueConstraint": "unique"}


def _table_spec(columns: list[Any]) -> tuple[tuple, tuple]:
    """The columns and table constraints of `op.create_table(...)`, for the schema catalogue
    (same shape as `schema.sql_spec.table_spec`)."""
    specs = tuple(
        (
            c.name,
            c.type,
            c.nullable,
            _default_sql(c.server_default) if c.server_default not in (None, UNKNOWN) else None,
            c.primary_key,
            False,
            c.references,
        )
        for c in columns
        if isinstance(c, _Column) and c.name
    )
    constraints = tuple(
        (None, _TABLE_CONSTRAINTS[v.name], tuple(a for a in v.args if isinstance(a, str)), None)
        for v in columns
        if isinstance(v, _TypeRef) and v.name in _TABLE_CONSTRAINTS
    )
    return specs, constraints + tuple(_foreign_key_spec(v) for v in columns if _is_foreign_key_constraint(v))


def _is_foreign_key_constraint(value: Any) -> bool:
    return isinstance(value, _TypeRef) and value.name == "ForeignKeyConstraint" and len(value.args) >= 2


def _foreign_key_spec(value: _TypeRef) -> tuple:
    """`sa.ForeignKeyConstraint(["database_id"], ["dbs.id"])` in `op.create_table(...)`: the
    catalogue must know the key, or dropping and re-creating it later reads as dropped for good."""
    local, remote = (v if isinstance(v, tuple) else (v,) for v in value.args[:2])
    target = next((r for r in remote if isinstance(r, str) and "." in r), None)
    references = target.rsplit(".", 2)[-2] if target else None
    return (None, "foreign_key", tuple(c for c in local if isinstance(c, str)), references)


def _is_json_type(type_source: str | None) -> bool:
    """`sa.JSON()`, `postgresql.JSON(none_as_null=True)`, `JSON` (not JSONB)."""
    return bool(type_source and type_source.split("(")[0].rsplit(".", 1)[-1].strip().upper() == "JSON")


def _source(node: Any) -> str | None:
    """A keyword argument as written (`sa.VARCHAR(length=100)`), so type rules can read its parameters."""
    return fast_unparse.unparse(node) if isinstance(node, ast.expr) else None


def _type_name(value: Any) -> str | None:
    if isinstance(value, _TypeRef):
        params = ",".join(str(a) for a in value.args if isinstance(a, (int, str)) and not isinstance(a, bool))
        return f"{value.name}({params})" if params else value.name
    if isinstance(value, str):
        return value
    return None


def _str(value: Any) -> str | None:
    if isinstance(value, _Sql):
        return value.text
    return value if isinstance(value, str) else None


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return tuple(str(v) if isinstance(v, (str, _Sql)) else "?" for v in value)
    if isinstance(value, str):
        return (value,)
    return ()


def _flag(args: dict[str, Any], key: str) -> bool | None:
    """A dialect flag: True/False when stated, False when absent, None when set but not resolvable."""
    if key in args:
        value = args[key]
        return value if isinstance(value, bool) else None
    if args.get("**unknown"):
        return None
    return False


def _kw(node: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in node.keywords if k.arg == name), None)


def _calls_in(node: ast.expr) -> list[ast.Call]:
    """Outermost calls of an expression, receivers first (`op.get_bind()` before `.execute(...)`).

    Calls inside another call's arguments (sa.Column(...), sa.text(...)) are values, resolved by
    `resolve`; `call` looks into the arguments of calls that are not operations.
    """
    calls: list[ast.Call] = []
    stack: list[ast.AST] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Lambda):
            continue
        if isinstance(current, ast.Call):
            func = current.func
            while isinstance(func, ast.Attribute):
                func = func.value
            receiver_calls = _calls_in(func) if isinstance(func, ast.Call) else []
            calls.extend(receiver_calls)
            calls.append(current)
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(current))))
    return calls


def _string_node(node: ast.expr) -> ast.Constant | None:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            return sub
    return None


def _is_dialect_name(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "name"
        and isinstance(node.value, ast.Attribute)
        and node.value.attr in ("dialect", "engine")
    )


_ALL_DIALECTS = frozenset({"postgresql", "mysql", "sqlite", "mssql", "oracle"})

# SQLAlchemy's dialect classes by name prefix (`MySQLDialect_pymysql`, `PGDialect_psycopg2`, …).
_DIALECT_CLASS_PREFIXES = (
    ("PGDialect", "postgresql"),
    ("PostgreSQLDialect", "postgresql"),
    ("MySQLDialect", "mysql"),
    ("MariaDBDialect", "mysql"),
    ("SQLiteDialect", "sqlite"),
    ("MSDialect", "mssql"),
    ("OracleDialect", "oracle"),
)


def _isinstance_dialect(test: ast.expr) -> frozenset[str] | None:
    """`isinstance(bind.dialect, MySQLDialect)` (or a tuple of dialect classes): the dialects it allows."""
    if not (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Name)
        and test.func.id == "isinstance"
        and len(test.args) == 2
        and isinstance(test.args[0], ast.Attribute)
        and test.args[0].attr == "dialect"
    ):
        return None
    classes = test.args[1].elts if isinstance(test.args[1], ast.Tuple) else [test.args[1]]
    allowed: set[str] = set()
    for cls in classes:
        name = cls.attr if isinstance(cls, ast.Attribute) else cls.id if isinstance(cls, ast.Name) else ""
        dialect = next((d for prefix, d in _DIALECT_CLASS_PREFIXES if name.startswith(prefix)), None)
        if dialect is None:
            return None  # a class we cannot place: the branch may run anywhere
        allowed.add(dialect)
    return frozenset(allowed)


def _normalise_dialect(name: str) -> str:
    name = name.lower()
    return {"postgres": "postgresql", "mariadb": "mysql"}.get(name, name)


def _complement(names: frozenset[str]) -> frozenset[str]:
    return _ALL_DIALECTS - names


def _narrow(current: frozenset[str] | None, allowed: frozenset[str] | None) -> frozenset[str] | None:
    if allowed is None:
        return current
    return allowed if current is None else current & allowed


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement, nested ones included, without visiting expressions (imports live here)."""
    for statement in body:
        yield statement
        for attribute in ("body", "orelse", "finalbody", "handlers"):
            nested = getattr(statement, attribute, None)
            if nested:
                yield from _statements(nested)


def _module_imports(tree: ast.Module) -> dict[str, str]:
    imports: dict[str, str] = {}
    for node in _statements(tree.body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    imports[alias.asname] = alias.name
                else:
                    imports[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return imports


def _module_constants(tree: ast.Module) -> dict[str, Any]:
    constants: dict[str, Any] = {}
    for node in tree.body:
        target = value = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target, value = node.targets[0].id, node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            target, value = node.target.id, node.value
        if target is None or value is None:
            continue
        if isinstance(value, ast.Constant):
            constants[target] = value.value
        elif isinstance(value, (ast.Tuple, ast.List)) and all(
            isinstance(e, ast.Constant) for e in value.elts
        ):
            constants[target] = tuple(cast(ast.Constant, e).value for e in value.elts)  # all() checked
        elif isinstance(value, (ast.Tuple, ast.List)) and all(_constant_row(e) for e in value.elts):
            # `table_name_mappings = (("dataset", "asset"), ...)`, iterated by a loop in upgrade()
            constants[target] = tuple(
                tuple(cast(ast.Constant, c).value for c in cast(ast.Tuple, e).elts) for e in value.elts
            )
        elif _is_table_call(value):
            # `releases = sa.Table("releases", sa.MetaData(), ...)`, later `releases.update()`.
            constants[target] = _TableRef(value.args[0].value)  # type: ignore[attr-defined]
    return constants


def _constant_row(node: ast.expr) -> bool:
    return isinstance(node, (ast.Tuple, ast.List)) and all(isinstance(c, ast.Constant) for c in node.elts)


def _is_table_call(node: ast.expr) -> bool:
    func = node.func if isinstance(node, ast.Call) else None
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    return (
        name in ("table", "Table")
        and bool(node.args)  # type: ignore[attr-defined]
        and isinstance(node.args[0], ast.Constant)  # type: ignore[attr-defined]
        and isinstance(node.args[0].value, str)  # type: ignore[attr-defined]
    )


def _body_summary(func: ast.FunctionDef | ast.AsyncFunctionDef | None, path: str, text: str) -> FunctionBody:
    if func is None:
        return FunctionBody(present=False)
    statements = [s for s in func.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    empty = all(
        isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
        for s in statements
    )
    raises = any(isinstance(s, ast.Raise) for s in statements)
    remarks = _remarks(func, text) if empty or raises else ""
    return FunctionBody(
        present=True,
        empty=empty,
        raises=raises,
        location=Location(path, func.lineno, func.col_offset + 1),
        remarks=remarks,
    )


_COMMENT = re.compile(r"#(.*)$")


def _remarks(func: ast.FunctionDef | ast.AsyncFunctionDef, text: str) -> str:
    """What the author wrote in a body that does nothing: the docstring, the comments (a `#` that
    starts a line: no string parsing needed) and the raise's message, so a rule can read why."""
    parts = [ast.get_docstring(func) or ""]
    lines = text.splitlines()  # only for bodies that do nothing: rare, and small
    for line in lines[func.lineno : func.end_lineno or func.lineno]:
        match = _COMMENT.match(line.strip())
        if match:
            parts.append(match.group(1).strip())
    for statement in func.body:
        if isinstance(statement, ast.Raise) and isinstance(statement.exc, ast.Call):
            parts += [str(a.value) for a in statement.exc.args if isinstance(a, ast.Constant)]
            parts.append(fast_unparse.unparse(statement.exc.func))
        elif isinstance(statement, ast.Raise) and statement.exc is not None:
            parts.append(fast_unparse.unparse(statement.exc))
    return "\n".join(p for p in parts if p)


def _densest_statement_line(text: str) -> int:
    """The first line of the statement with the most tokens: where an over-deep expression sits
    when the parser cannot say (the tokenizer is not recursive, so it still reads the file)."""
    import io
    import tokenize

    best_line, best_count, count, start = 1, 0, 0, 1
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if count == 0:
                start = token.start[0]
            count += 1
            if token.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                if count > best_count:
                    best_line, best_count = start, count
                count = 0
    except (tokenize.TokenError, SyntaxError):
        pass
    return best_line


@paused  # the file's syntax tree is freed by reference counting: a collection would only walk it
def parse_alembic(path: str, text: str, dialect: str, *, transactional: bool = True) -> Migration:
    migration = Migration(path=path, kind="alembic", dialect=dialect)
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as error:
        migration.problems.append(
            ParseProblem(
                Location(path, error.lineno or 1, error.offset or 1), f"Python syntax error: {error.msg}"
            )
        )
        return migration
    except ValueError as error:  # e.g. null bytes
        migration.problems.append(ParseProblem(Location(path, 1), f"cannot parse Python: {error}"))
        return migration
    except MemoryError:  # how Python's own parser gives up on an expression nested too deeply
        message = "nested too deeply for Python's parser (Python could not import this migration either)"
        migration.problems.append(ParseProblem(Location(path, _densest_statement_line(text)), message))
        return migration
    constants = _module_constants(tree)
    revision = constants.get("revision")
    migration.revision = revision if isinstance(revision, str) else None
    down = constants.get("down_revision")
    migration.down_revision = (
        (down,) if isinstance(down, str) else tuple(down) if isinstance(down, tuple) else None
    )
    migration.facts["revision_declared"] = "revision" in constants
    functions = {
        node.name: node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    imports = _module_imports(tree)
    helpers = {name: f for name, f in functions.items() if not name.startswith(("upgrade", "downgrade"))}
    for phase in (m.UPGRADE, m.DOWNGRADE):
        entry_points = [f for name, f in functions.items() if name == phase or name.startswith(phase + "_")]
        summary = _body_summary(
            functions.get(phase) or (entry_points[0] if entry_points else None), path, text
        )
        if phase == m.UPGRADE:
            migration.upgrade = summary
        else:
            migration.downgrade = summary
        walker = _Walker(path, dialect, phase, helpers, imports)
        walker.sql_state.in_transaction = transactional
        for func in entry_points:
            scope = Scope(receivers={}, constants=dict(constants), in_transaction=transactional)
            walker.walk(func.body, scope)
        migration.operations.extend(walker.operations)
        migration.problems.extend(walker.problems)
    return migration
