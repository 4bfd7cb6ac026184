"""The operation model shared by every front end.

The Alembic front end and the SQL front end both turn a migration into `Operation` records, so a
rule is written once against operations and judges `op.create_index(...)`, `op.execute("CREATE
INDEX ...")` and a `.sql` file alike. A value the front end could not resolve statically is
`None` ("unknown"); checks must never read unknown as safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Operation kinds. Strings (not an Enum) so rule YAML, JSON traces and tests can name them.
CREATE_TABLE = "create_table"
DROP_TABLE = "drop_table"
RENAME_TABLE = "rename_table"
ADD_COLUMN = "add_column"
DROP_COLUMN = "drop_column"
RENAME_COLUMN = "rename_column"
ALTER_COLUMN_TYPE = "alter_column_type"
SET_NOT_NULL = "set_not_null"
DROP_NOT_NULL = "drop_not_null"
SET_DEFAULT = "set_default"
DROP_DEFAULT = "drop_default"
CREATE_INDEX = "create_index"
DROP_INDEX = "drop_index"
REINDEX = "reindex"
ADD_CONSTRAINT = "add_constraint"
VALIDATE_CONSTRAINT = "validate_constraint"
DROP_CONSTRAINT = "drop_constraint"
RENAME_OBJECT = "rename_object"  # constraint, index, type, enum value, schema, sequence, view…
DROP_OBJECT = "drop_object"  # schema, database, type, function, view, sequence, extension…
CREATE_OBJECT = "create_object"  # type, function, view, extension, schema, sequence…
ALTER_ENUM_ADD_VALUE = "alter_enum_add_value"
TRUNCATE = "truncate"
LOCK_TABLE = "lock_table"
SET_TABLESPACE = "set_tablespace"
SET_LOGGED = "set_logged"  # LOGGED or UNLOGGED, see `detail["logged"]`
VACUUM_FULL = "vacuum_full"
CLUSTER = "cluster"
DATA_CHANGE = "data_change"  # UPDATE / DELETE / INSERT … SELECT / MERGE / bulk insert
SET_SETTING = "set_setting"  # SET lock_timeout = … (detail: name, value)
BEGIN = "begin"
COMMIT = "commit"
ROLLBACK = "rollback"
ALTER_TABLE_OTHER = "alter_table_other"  # understood as ALTER TABLE on a table, nothing risky recognised
SELECT = "select"
COMMENT = "comment"
GRANT = "grant"
OTHER = "other"  # understood and harmless for release safety (ANALYZE, GRANT, COMMENT…)
UNRECOGNIZED = "unrecognized"  # nobody understood it: reported as info, never silently passed

UPGRADE = "upgrade"
DOWNGRADE = "downgrade"

# The keys `Operation.detail` may hold, each with what it means. Reading an undeclared key raises,
# so a misspelt key is an error in the check, not a silent "unknown".
DETAIL_KEYS: dict[str, str] = {
    "action": "ALTER TABLE action not modelled otherwise (e.g. 'DROP FOREIGN KEY')",
    "as_select": "CREATE TABLE ... AS SELECT",
    "batched": "a data change limited to a slice (LIMIT, a batch loop)",
    "bulk_insert": "op.bulk_insert(...)",
    "call_source": "the Alembic call as written (for help that quotes it)",
    "check": "ADD COLUMN with an inline CHECK",
    "condition": "a CHECK constraint's condition",
    "column_defs": "CREATE TABLE columns: (name, type, primary key, identity)",
    "do_block": "a DO block whose statements are judged one by one",
    "existing_nullable": "Alembic existing_nullable=",
    "existing_type_source": "Alembic existing_type= as written",
    "from_select": "INSERT ... SELECT",
    "generated_expression": "a generated column's expression",
    "generated_stored": "a STORED generated column",
    "has_where": "UPDATE/DELETE with a WHERE clause",
    "identity": "an identity column",
    "inline_references": "REFERENCES inside an ADD COLUMN",
    "json_columns": "CREATE TABLE columns of type json",
    "local": "SET LOCAL",
    "logged": "SET LOGGED (True) or UNLOGGED (False)",
    "mode": "LOCK TABLE mode",
    "mysql_options": "MySQL ALGORITHM= / LOCK= options",
    "name": "SET setting name",
    "nowait": "LOCK TABLE ... NOWAIT",
    "own_transaction": "index of the DO block (its own transaction) a statement runs in",
    "position": "MySQL ADD COLUMN ... FIRST | AFTER col",
    "primary_key": "ADD COLUMN ... PRIMARY KEY",
    "python_default": "Alembic default= computed in Python",
    "reason": "why a statement is UNRECOGNIZED",
    "remote_columns": "a foreign key's referenced columns",
    "serial": "a serial column",
    "statement": "the statement form (UPDATE, DELETE, INSERT SELECT, MODIFY…)",
    "table_spec": "CREATE TABLE columns and constraints for the schema catalogue (schema/sql_spec.py)",
    "type_source": "Alembic type_= as written",
    "unique": "ADD COLUMN ... UNIQUE",
    "using": "ALTER COLUMN TYPE ... USING expression",
    "using_index": "ADD CONSTRAINT ... USING INDEX",
    "value": "SET setting value / enum value added",
}
# The keys `Migration.facts` may hold.
FACT_KEYS: dict[str, str] = {
    "unclosed_transaction": "a .sql file ends inside a BEGIN it opened",
    "sections": "(line, phase) of each up/down marker of a .sql file",
    "revision_declared": "an Alembic file assigns `revision`",
}


class UndeclaredKey(KeyError):
    """A detail or fact key that is not declared in model.py: a bug in the code reading it."""


def _declared(key: str, keys: dict[str, str], where: str) -> str:
    if key not in keys:
        raise UndeclaredKey(f"{where} has no declared key {key!r} (see model.py)")
    return key


@dataclass(frozen=True)
class Location:
    path: str
    line: int  # 1-based
    column: int = 1  # 1-based
    end_line: int = 0
    end_column: int = 0


@dataclass(frozen=True)
class Operation:
    kind: str
    location: Location
    table: str | None = None
    schema: str | None = None
    column: str | None = None
    columns: tuple[str, ...] = ()
    new_name: str | None = None  # target of a rename
    index: str | None = None
    constraint: str | None = None
    constraint_type: str | None = None  # foreign_key | check | unique | primary_key | exclude
    references: str | None = None  # referenced table of a foreign key
    unique: bool = False
    concurrently: bool | None = False
    not_valid: bool | None = False
    nullable: bool | None = None  # for ADD COLUMN / ALTER COLUMN: None = unknown or unchanged
    has_default: bool | None = None  # server-side default present
    default_sql: str | None = None
    default_volatile: bool | None = None
    type: str | None = None  # new type (ADD COLUMN, ALTER COLUMN TYPE)
    old_type: str | None = None  # existing type when the migration states it
    object_type: str | None = None  # for RENAME_OBJECT / DROP_OBJECT / CREATE_OBJECT: schema, type, view…
    object_name: str | None = None
    cascade: bool = False
    if_exists: bool = False
    phase: str = UPGRADE  # upgrade | downgrade (a .sql file is an upgrade)
    in_transaction: bool | None = True  # None: unknown (e.g. a .sql file run by an unknown tool)
    table_is_new: bool = False  # created earlier in the same migration: empty, exempt from lock rules
    conditional: bool = False  # inside an if/for/try branch
    dialects: frozenset[str] | None = None  # dialect guard: runs only on these (None: all)
    source: str = "sql"  # "alembic" (an op.* call) or "sql" (SQL text, in a .sql file or a Python string)
    sql: str | None = None  # statement text when the operation came from SQL
    detail: tuple[tuple[str, Any], ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        _declared(key, DETAIL_KEYS, "Operation.detail")
        for name, value in self.detail:
            if name == key:
                return value
        return default

    @property
    def qualified_table(self) -> str | None:
        if self.table and self.schema:
            return f"{self.schema}.{self.table}"
        return self.table


@dataclass(frozen=True)
class ParseProblem:
    """Something a front end could not read: becomes a `syntax-error` finding at its line."""

    location: Location
    message: str


@dataclass(frozen=True)
class FunctionBody:
    """What the linter knows of an Alembic upgrade()/downgrade() body as a whole."""

    present: bool
    empty: bool = False  # only `pass`, a docstring or `...`
    raises: bool = False  # raises (e.g. NotImplementedError) unconditionally
    location: Location | None = None
    remarks: str = ""  # of an empty or raising body: its docstring, comments and raise message (why it is so)


class Facts(dict):
    """`Migration.facts`: only declared keys may be written or read."""

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(_declared(key, FACT_KEYS, "Migration.facts"), value)

    def __getitem__(self, key: str) -> Any:
        return super().__getitem__(_declared(key, FACT_KEYS, "Migration.facts"))

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(_declared(key, FACT_KEYS, "Migration.facts"), default)


@dataclass(frozen=True)
class UpStep:
    """The up file a separate down file reverses, and what that up file does."""

    path: str
    operations: tuple[Operation, ...]


@dataclass
class Migration:
    """One migration file as the front ends understood it."""

    path: str
    kind: str  # "alembic" | "sql"
    dialect: str
    operations: list[Operation] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    revision: str | None = None
    down_revision: tuple[str, ...] | None = None  # None: base (or unknown if `revision_unknown`)
    upgrade: FunctionBody = field(default_factory=lambda: FunctionBody(present=False))
    downgrade: FunctionBody = field(default_factory=lambda: FunctionBody(present=False))
    # Facts read from the file that some rules need (e.g. a lock_timeout set in the file).
    facts: Facts = field(default_factory=Facts)
    # A down file of its own (Diesel `down.sql`, golang-migrate `*.down.sql`, Flyway `U*`, sqitch
    # `revert/`): the up file it reverses. Set by the history runner, which pairs them.
    reverses: UpStep | None = None
    # The operations checks judge, grouped by kind; built once per migration by CheckContext.
    judged_index: Any = field(default=None, repr=False, compare=False)

    def ops(self, phase: str = UPGRADE) -> list[Operation]:
        return [op for op in self.operations if op.phase == phase]
