"""What a SQL CREATE TABLE declares, in plain tuples the catalogue replays (and the cache stores).

`table_spec` returns (columns, constraints):
- a column is (name, type, nullable, default_sql, primary_key, unique, references);
- a constraint is (name, type, columns, references), type one of primary_key, unique,
  foreign_key, check, exclude, index (a MySQL inline KEY).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

ColumnSpec = tuple[str, str | None, bool | None, str | None, bool, bool, str | None]
ConstraintSpec = tuple[str | None, str, tuple[str, ...], str | None]


def _names(nodes: list[exp.Expression]) -> tuple[str, ...]:
    return tuple(n.name for n in nodes if n.name)


def _referenced(reference: exp.Expression | None) -> str | None:
    if reference is None:
        return None
    target = reference.this
    target = target.this if isinstance(target, exp.Schema) else target
    return target.name if target is not None else None


def _column(c: exp.ColumnDef, type_sql: str | None) -> ColumnSpec:
    nullable: bool | None = True
    default_sql = None
    primary = unique = False
    references = None
    for constraint in c.constraints:
        kind = constraint.kind
        if isinstance(kind, exp.NotNullColumnConstraint):
            nullable = bool(kind.args.get("allow_null"))
        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
            primary, nullable = True, False
        elif isinstance(kind, exp.UniqueColumnConstraint):
            unique = True
        elif isinstance(kind, exp.DefaultColumnConstraint) and kind.this is not None:
            default_sql = kind.this.sql(dialect="postgres")
        elif isinstance(kind, exp.Reference):
            references = _referenced(kind)
        elif isinstance(kind, exp.GeneratedAsIdentityColumnConstraint):
            nullable = False
    if (type_sql or "").upper().startswith(("SERIAL", "BIGSERIAL", "SMALLSERIAL")):
        nullable = False
    return (c.name, type_sql, nullable, default_sql, primary, unique, references)


def _constraint(node: exp.Expression) -> ConstraintSpec | None:
    name = None
    body = node
    if isinstance(node, exp.Constraint):
        name = node.name or None
        body = node.expressions[0] if node.expressions else node
    if isinstance(body, exp.PrimaryKey):
        return (name, "primary_key", _names(body.expressions), None)
    if isinstance(body, exp.UniqueColumnConstraint):
        schema = body.this
        columns = _names(schema.expressions) if isinstance(schema, exp.Schema) else ()
        if name is None and isinstance(schema, exp.Schema) and schema.this is not None:
            name = schema.this.name or None  # MySQL `UNIQUE KEY uk (n)`
        return (name, "unique", columns, None)
    if isinstance(body, exp.ForeignKey):
        return (name, "foreign_key", _names(body.expressions), _referenced(body.args.get("reference")))
    if isinstance(body, (exp.CheckColumnConstraint, exp.Check)):
        return (name, "check", (), None)
    if isinstance(body, exp.ExcludeColumnConstraint):
        return (name, "exclude", (), None)
    if isinstance(body, exp.IndexColumnConstraint):
        index_name = body.this.name if body.this is not None else None
        return (index_name, "index", _names(body.expressions), None)
    return None


def table_spec(
    schema_node: exp.Expression, type_sql: Callable[[exp.Expression | None], str | None]
) -> tuple[tuple[ColumnSpec, ...], tuple[ConstraintSpec, ...]]:
    """`type_sql` is the front end's type spelling, so the catalogue and the rules agree on it."""
    if not isinstance(schema_node, exp.Schema):
        return (), ()
    columns: list[ColumnSpec] = []
    constraints: list[ConstraintSpec] = []
    for node in schema_node.expressions:
        if isinstance(node, exp.ColumnDef):
            columns.append(_column(node, type_sql(node.args.get("kind"))))
        elif (spec := _constraint(node)) is not None:
            constraints.append(spec)
    return tuple(columns), tuple(constraints)
