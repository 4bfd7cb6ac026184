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
        return dict(self.detail).get(key, default)

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
    facts: dict[str, Any] = field(default_factory=dict)
    # The operations checks judge, grouped by kind; built once per migration by CheckContext.
    judged_index: Any = field(default=None, repr=False, compare=False)

    def ops(self, phase: str = UPGRADE) -> list[Operation]:
        return [op for op in self.operations if op.phase == phase]
