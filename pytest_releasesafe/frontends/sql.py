"""SQL text -> operations.

The text is tokenized once with sqlglot, split into statements at top-level semicolons (dollar-quoted
bodies and string literals are single tokens, so a `;` inside them never splits), and each statement
is parsed on its own so one statement sqlglot cannot read never hides the others. Statements sqlglot
only understands as an opaque `Command` (or cannot parse) are classified from their tokens by
`sql_tokens`; what nobody understood becomes an UNRECOGNIZED operation, reported as info.
Comments and string literals are tokens sqlglot discards or keeps whole, so they never look like DDL.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any, cast

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import Token, TokenType

from pytest_releasesafe import model as m
from pytest_releasesafe.frontends import plpgsql, sql_chunks, sql_prefilter, sql_tokens
from pytest_releasesafe.frontends.defaults import default_is_volatile
from pytest_releasesafe.frontends.sql_context import SQLGLOT_DIALECTS, Placement, SqlState, _with
from pytest_releasesafe.frontends.sql_sections import Section, file_sections, section_at
from pytest_releasesafe.model import Location, Operation, ParseProblem
from pytest_releasesafe.schema.sql_spec import table_spec

# sqlglot logs warnings for every statement it falls back on; we report those ourselves.
logging.getLogger("sqlglot").setLevel(logging.CRITICAL)

# psql meta-commands (`\set ON_ERROR_STOP on`, `\timing`) run in the client, end at the line end and
# change no schema: blanked out (offsets kept) so they neither fail to parse nor join the next statement.
_PSQL_META = re.compile(r"^[ \t]*\\[^\n]*", re.MULTILINE)

_dialects: dict[str, _Sqlglot] = {}


class _Sqlglot:
    """One dialect's tokenizer and parser, built once: sqlglot builds new ones per call otherwise
    (7x the cost of tokenizing a short statement). Both reset their state on every call."""

    def __init__(self, dialect: str) -> None:
        self.dialect: Dialect = Dialect.get_or_raise(SQLGLOT_DIALECTS.get(dialect, dialect))
        self.tokenizer = self.dialect.tokenizer()
        self.parser = self.dialect.parser()
        self.commands = self.dialect.tokenizer_class.COMMANDS

    def tokenize(self, text: str) -> list[Token]:
        return self.tokenizer.tokenize(text)

    def parse(self, tokens: list[Token], text: str) -> list[exp.Expression | None]:
        # sqlglot types the result as its mixin base `Expr`; every concrete statement node it builds
        # is an `Expression` subclass, which is what the callers walk.
        return cast(list[exp.Expression | None], self.parser.parse(tokens, text))


def sqlglot_dialect(dialect: str) -> _Sqlglot:
    if dialect not in _dialects:
        _dialects[dialect] = _Sqlglot(dialect)
    return _dialects[dialect]


def parse_sql(
    text: str,
    placement: Placement,
    dialect: str,
    state: SqlState,
    *,
    phase: str = m.UPGRADE,
    dialects: frozenset[str] | None = None,
    conditional: bool = False,
) -> tuple[list[Operation], list[ParseProblem]]:
    sg = sqlglot_dialect(dialect)
    if dialect == "postgresql" and not placement.inside_python and "\\" in text:
        text = _PSQL_META.sub(lambda match: " " * len(match.group()), text)
    sections = [] if placement.inside_python else file_sections(placement.path, text)
    if dialect == "postgresql" and not placement.inside_python and len(text) > sql_chunks.CHUNKED_BYTES:
        return _parse_in_pieces(text, placement, state, sections, phase, dialects, conditional)
    return _parse_piece(sg, dialect, text, placement, state, sections, phase, dialects, conditional, [None])


def _parse_in_pieces(
    text: str,
    placement: Placement,
    state: SqlState,
    sections: list[Section],
    phase: str,
    dialects: frozenset[str] | None,
    conditional: bool,
) -> tuple[list[Operation], list[ParseProblem]]:
    """A huge file, piece by piece: only one piece's tokens are alive at a time."""
    from dataclasses import replace

    sg = sqlglot_dialect("postgresql")
    operations: list[Operation] = []
    problems: list[ParseProblem] = []
    lines_before, counted_to = 0, 0
    current: list[Section | None] = [None]  # the tool step the last statement was in, across pieces
    for piece in sql_chunks.pieces(text):
        lines_before += text.count("\n", counted_to, piece.start)
        counted_to = piece.start
        if piece.bulk_table is None:
            where = replace(placement, line_offset=lines_before)
            ops, found = _parse_piece(
                sg,
                "postgresql",
                text[piece.start : piece.end],
                where,
                state,
                sections,
                phase,
                dialects,
                conditional,
                current,
            )
            operations.extend(ops)
            problems.extend(found)
            continue
        # A bulk INSERT: what the rules need is in its head; sqlglot would take seconds to read it all.
        first_line = lines_before + 1
        last_line = first_line + text.count("\n", piece.start, piece.end)
        line_start = text.rfind("\n", 0, piece.start) + 1
        last_line_start = text.rfind("\n", 0, piece.end - 1) + 1
        location = Location(
            placement.path,
            first_line,
            piece.start - line_start + 1,
            last_line,
            piece.end - last_line_start + 1,
        )
        section = section_at(sections, first_line) if sections else None
        if section is not None and section is not current[0]:
            current[0], phase = section, section.phase
            if section.in_transaction is not None:
                state.in_transaction = section.in_transaction
        schema, _, table = piece.bulk_table.rpartition(".")
        op = Operation(
            m.DATA_CHANGE,
            location,
            table=table or None,
            schema=schema or None,
            phase=phase,
            sql=text[piece.start : piece.end],
            dialects=dialects,
            conditional=conditional,
            in_transaction=state.in_transaction,
            detail=(("statement", "INSERT"), ("from_select", False), ("batched", piece.batched)),
        )
        operations.append(_track(op, state))
    return operations, problems


def _parse_piece(
    sg: _Sqlglot,
    dialect: str,
    text: str,
    placement: Placement,
    state: SqlState,
    sections: list[Section],
    phase: str,
    dialects: frozenset[str] | None,
    conditional: bool,
    current: list[Section | None],
) -> tuple[list[Operation], list[ParseProblem]]:
    try:
        tokens = sql_prefilter.tokenize(sg, text, dialect)
    except TokenError as error:
        line = placement.line + placement.line_offset
        return [], [ParseProblem(Location(placement.path, line), f"cannot tokenize SQL: {error}")]
    operations: list[Operation] = []
    problems: list[ParseProblem] = []
    if current[0] is not None:
        phase = current[0].phase  # a huge file's earlier piece already entered this step
    for statement in sql_tokens.split_top_level(tokens, TokenType.SEMICOLON, in_parentheses=True):
        if (
            sections
            and (section := section_at(sections, statement[0].line + placement.line_offset)) is not current[0]
            and section is not None
        ):
            # A tool's up/down marker: the statements below it belong to that step and its transaction.
            current[0], phase = section, section.phase
            if section.in_transaction is not None:
                state.in_transaction = section.in_transaction
        location = placement.locate(statement[0], statement[-1])
        statement_sql = text[statement[0].start : statement[-1].end + 1]
        for op in _statement_operations(sg, dialect, statement, text, location, problems):
            op = _with(
                op,
                phase=phase,
                sql=statement_sql,
                dialects=dialects,
                conditional=conditional,
                in_transaction=state.in_transaction,
            )
            if op.get("do_block"):
                inner, understood = _do_block(
                    text, statement[0].start, statement_sql, placement, dialect, state, phase, dialects
                )
                operations.extend(inner)
                if understood:
                    continue  # every statement of the block is judged on its own: nothing left unread
            operations.append(_track(op, state))
    return operations, problems


def _do_block(
    text: str,
    offset: int,
    block: str,
    placement: Placement,
    dialect: str,
    state: SqlState,
    phase: str,
    dialects: frozenset[str] | None,
) -> tuple[list[Operation], bool]:
    """Operations of the SQL statements inside a DO block, and whether that is all the block does."""
    found, dynamic = plpgsql.embedded_statements(block)
    # A DO block is one statement: all of it runs in one transaction, whatever the file does.
    inner_state = SqlState(in_transaction=True, new_tables=state.new_tables)
    operations: list[Operation] = []
    understood = bool(found) and not dynamic
    for start, sql in found:
        line = text.count("\n", 0, offset + start) + 1
        if placement.inside_python:
            line = placement.line if placement.at_call else placement.line + line - 1
        else:
            line += placement.line_offset
        # Embedded SQL: lines shift from where the statement starts, as for SQL in a Python string.
        inner_placement = Placement(placement.path, line, placement.column, inside_python=True)
        ops, problems = parse_sql(
            sql, inner_placement, dialect, inner_state, phase=phase, dialects=dialects, conditional=True
        )
        understood = understood and not problems and not any(op.kind == m.UNRECOGNIZED for op in ops)
        operations.extend(ops)
    if state.in_transaction is not True:
        # Outside a transaction the block is its own: it shares no transaction with the next block.
        operations = [_with(op, detail=(*op.detail, ("own_transaction", offset))) for op in operations]
    return operations, understood


def _track(op: Operation, state: SqlState) -> Operation:
    """Apply transaction and new-table bookkeeping; return the op with `table_is_new` set."""
    if op.kind == m.BEGIN:
        state.in_transaction = True
        state.explicit_transaction = True
    elif op.kind in (m.COMMIT, m.ROLLBACK):
        state.in_transaction = False
        state.explicit_transaction = False
    elif op.kind == m.CREATE_TABLE and op.table:
        state.new_tables.add(op.table.lower())
    elif op.kind == m.RENAME_TABLE and op.table and op.new_name and op.table.lower() in state.new_tables:
        state.new_tables.add(op.new_name.lower())
    if op.table and op.kind != m.CREATE_TABLE and op.table.lower() in state.new_tables:
        return _with(op, table_is_new=True)
    return op


def _statement_operations(
    sg: _Sqlglot,
    dialect: str,
    tokens: list[Token],
    text: str,
    location: Location,
    problems: list[ParseProblem],
) -> list[Operation]:
    if not sql_tokens.looks_like_sql(tokens):
        problems.append(
            ParseProblem(location, f"invalid SQL: unexpected {tokens[0].text!r} at the start of a statement")
        )
        return []
    if sql_tokens.unbalanced_parentheses(tokens):
        # Truncated or mistyped (`ALTER TABLE t ADD COLUMN (`): invalid, not a statement to guess at
        # from its first words (string literals and dollar-quoted bodies are single tokens).
        problems.append(ParseProblem(location, "invalid SQL: unbalanced parentheses"))
        return []
    # sqlglot reads Postgres `START TRANSACTION` and a bare `CLUSTER t` as an alias
    if tokens[0].text.upper() in ("START", "CLUSTER"):
        classified = sql_tokens.classify(tokens, location, dialect)
        if classified is not None:
            return classified
    try:
        expressions = _parse(sg, sql_prefilter.parse_input(tokens), text)
    except ParseError as error:
        classified = sql_tokens.classify(sql_tokens.expand_command(sg, tokens), location, dialect)
        if classified is not None:
            return _judge_raw_defaults(classified, tokens, text)
        if sql_tokens.looks_like_sql(tokens):
            reason = _first_line(str(error))
            return [
                Operation(m.UNRECOGNIZED, location, detail=(("reason", f"could not be parsed ({reason})"),))
            ]
        problems.append(ParseProblem(location, f"invalid SQL: {_first_line(str(error))}"))
        return []
    expression = expressions[0] if expressions else None
    if expression is None:
        return []
    if isinstance(expression, exp.Command):
        classified = sql_tokens.classify(sql_tokens.expand_command(sg, tokens), location, dialect)
        if classified is not None:
            return _judge_raw_defaults(classified, tokens, text)
        return [Operation(m.UNRECOGNIZED, location, detail=(("reason", "statement not understood"),))]
    try:
        operations = list(_from_expression(expression, location, dialect))
    except RecursionError:
        raise  # the file is read again with a deeper stack
    except Exception as error:  # noqa: BLE001 - sqlglot built a tree its own accessors reject
        # e.g. `ALTER TABLE t ADD % CONSTRAINT c PRIMARY KEY (a)`: judge the statement by its tokens.
        from pytest_releasesafe.containment import describe

        classified = sql_tokens.classify(sql_tokens.expand_command(sg, tokens), location, dialect)
        if classified is not None:
            return classified
        problems.append(
            ParseProblem(
                location,
                f"cannot read this statement: the SQL parser built an inconsistent tree ({describe(error)})",
            )
        )
        return []
    # An expression type not analysed here (e.g. sqlglot's Analyze) may still be known from its tokens.
    return (
        _judge_raw_defaults(operations, tokens, text)
        or sql_tokens.classify(tokens, location, dialect)
        or [
            Operation(
                m.UNRECOGNIZED, location, detail=(("reason", f"{type(expression).__name__} not analysed"),)
            )
        ]
    )


def _judge_raw_defaults(ops: list[Operation], tokens: list[Token], text: str) -> list[Operation]:
    """Volatility of each default from the text the user wrote, not sqlglot's rewrite of it."""
    with_default = [k for k, op in enumerate(ops) if op.default_sql is not None]
    if not with_default:
        return ops
    raw = sql_tokens.raw_defaults(tokens, text)
    if len(raw) != len(with_default):
        return ops  # not one DEFAULT per default seen: keep sqlglot's reading
    for k, written in zip(with_default, raw, strict=True):
        volatile = default_is_volatile(written)
        # An unknown signature is reported as written (sqlglot shows `now(123)` as CURRENT_TIMESTAMP).
        ops[k] = _with(
            ops[k], default_volatile=volatile, **({"default_sql": written} if volatile is None else {})
        )
    return ops


def _parse(sg: _Sqlglot, tokens: list[Token], text: str) -> list[exp.Expression | None]:
    """sqlglot's parse of one statement; its other failures on odd input become a ParseError, so
    the statement is classified from its tokens like any other it cannot read, and the rest of the
    file is still judged. A statement too deep for the default stack is retried with a large one."""
    from pytest_releasesafe import containment

    try:
        return containment.deep_retry(sg.parse, tokens, text)
    except ParseError:
        raise
    except RecursionError:
        raise ParseError("nested too deeply for the SQL parser") from None
    except Exception as error:  # noqa: BLE001 - e.g. sqlglot's TypeError on `ALTER TABLE t ADD % CONSTRAINT`
        raise ParseError(f"the SQL parser failed on it ({containment.describe(error)})") from None


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "parse error"


def _name(node: exp.Expression | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, exp.Table):
        return node.name or None
    return node.name or None


def _schema(node: exp.Expression | None) -> str | None:
    if isinstance(node, exp.Table) and node.args.get("db") is not None:
        return node.db or None
    return None


def _from_expression(e: exp.Expression, loc: Location, dialect: str) -> Iterator[Operation]:
    if isinstance(e, exp.Create):
        yield from _create(e, loc, dialect)
    elif isinstance(e, exp.Alter):
        yield from _alter(e, loc, dialect)
    elif isinstance(e, exp.Drop):
        yield from _drop(e, loc)
    elif isinstance(e, (exp.Update, exp.Delete, exp.Merge)):
        table = e.this if isinstance(e.this, exp.Table) else e.find(exp.Table)
        where = e.args.get("where")
        yield Operation(
            m.DATA_CHANGE,
            loc,
            table=_name(table),
            schema=_schema(table),
            detail=(
                ("statement", type(e).__name__.upper()),
                ("has_where", where is not None),
                ("batched", _looks_batched(e)),
            ),
        )
    elif isinstance(e, exp.Insert):
        table = e.this if isinstance(e.this, exp.Table) else e.find(exp.Table)
        from_select = isinstance(e.expression, (exp.Select, exp.Union))
        kind = m.DATA_CHANGE if from_select else m.DATA_CHANGE
        yield Operation(
            kind,
            loc,
            table=_name(table),
            schema=_schema(table),
            detail=(
                ("statement", "INSERT SELECT" if from_select else "INSERT"),
                ("from_select", from_select),
                ("batched", _looks_batched(e)),
            ),
        )
    elif isinstance(e, exp.TruncateTable):
        for table in e.expressions:
            yield Operation(
                m.TRUNCATE,
                loc,
                table=_name(table),
                schema=_schema(table),
                cascade=str(e.args.get("option") or "").upper() == "CASCADE",
            )
    elif isinstance(e, exp.Transaction):
        yield Operation(m.BEGIN, loc)
    elif isinstance(e, exp.Commit):
        yield Operation(m.COMMIT, loc)
    elif isinstance(e, exp.Rollback):
        yield Operation(m.ROLLBACK, loc)
    elif isinstance(e, exp.Set):
        for item in e.expressions:
            target = item.this
            if isinstance(target, exp.EQ):
                name = target.this.name if target.this is not None else ""
                value = target.expression.name if target.expression is not None else ""
                yield Operation(
                    m.SET_SETTING,
                    loc,
                    detail=(
                        ("name", name.lower()),
                        ("value", value),
                        ("local", "LOCAL" in str(item.args.get("kind") or "").upper()),
                    ),
                )
            else:
                yield Operation(
                    m.SET_SETTING,
                    loc,
                    detail=(("name", item.sql().split()[0].lower() if item.sql() else ""), ("value", "")),
                )
    elif isinstance(e, (exp.Select, exp.Union)):
        yield Operation(m.SELECT, loc)
    elif isinstance(e, exp.Comment):
        yield Operation(m.COMMENT, loc)
    elif isinstance(e, (exp.Grant,)):
        yield Operation(m.GRANT, loc)


def _looks_batched(e: exp.Expression) -> bool:
    """A data change limited to a slice (LIMIT, or a WHERE on a key range / IN subquery with LIMIT)."""
    return e.find(exp.Limit) is not None


def _create(e: exp.Create, loc: Location, dialect: str) -> Iterator[Operation]:
    kind = str(e.args.get("kind") or "").upper()
    if kind == "INDEX":
        index = e.this
        table = index.args.get("table")
        params = index.args.get("params")
        columns = tuple(
            (
                col.this.name
                if isinstance(col, exp.Ordered) and isinstance(col.this, exp.Column)
                else col.sql(dialect=SQLGLOT_DIALECTS.get(dialect))
            )
            for col in (params.args.get("columns") or [] if params else [])
        )
        yield Operation(
            m.CREATE_INDEX,
            loc,
            table=_name(table),
            schema=_schema(table),
            index=_name(index.this) if index.this is not None else None,
            columns=columns,
            unique=bool(e.args.get("unique")),
            concurrently=bool(e.args.get("concurrently")),
            if_exists=bool(e.args.get("exists")),
        )
    elif kind == "TABLE":
        schema_node = e.this
        table = schema_node.this if isinstance(schema_node, exp.Schema) else schema_node
        columns = tuple(
            c.name
            for c in (schema_node.expressions if isinstance(schema_node, exp.Schema) else [])
            if isinstance(c, exp.ColumnDef)
        )
        as_select = isinstance(e.expression, (exp.Select, exp.Union))
        yield Operation(
            m.CREATE_TABLE,
            loc,
            table=_name(table),
            schema=_schema(table),
            columns=columns,
            detail=(
                ("as_select", as_select),
                ("json_columns", _json_columns(schema_node)),
                ("column_defs", _column_defs(schema_node)),
                ("table_spec", table_spec(schema_node, lambda kind: _type_sql(kind, dialect))),
            ),
        )
    else:
        this = e.this
        name = this.name if this is not None else None
        if not name and this is not None:
            # CREATE SCHEMA s: the name sits in the `db` slot; CREATE FUNCTION f(...): under `this`.
            name = (
                (this.db if isinstance(this, exp.Table) else None) or getattr(this.this, "name", None) or None
            )
        yield Operation(m.CREATE_OBJECT, loc, object_type=kind.lower() or None, object_name=name)


def _json_columns(schema_node: exp.Expression) -> tuple[str, ...]:
    if not isinstance(schema_node, exp.Schema):
        return ()
    return tuple(
        c.name
        for c in schema_node.expressions
        if isinstance(c, exp.ColumnDef) and _type_sql(c.args.get("kind")) == "JSON"
    )


def _column_defs(schema_node: exp.Expression) -> tuple[tuple[str, str | None, bool, bool], ...]:
    """(name, type, primary key, identity) of each column of a CREATE TABLE, for the style rules."""
    if not isinstance(schema_node, exp.Schema):
        return ()
    table_pk = {
        c.name.lower()
        for pk in schema_node.expressions
        if isinstance(pk, exp.PrimaryKey)
        for c in pk.expressions
    }
    defs = []
    for c in schema_node.expressions:
        if isinstance(c, exp.ColumnDef):
            kinds = [constraint.kind for constraint in c.constraints]
            primary = c.name.lower() in table_pk or any(
                isinstance(k, exp.PrimaryKeyColumnConstraint) for k in kinds
            )
            identity = any(isinstance(k, exp.GeneratedAsIdentityColumnConstraint) for k in kinds)
            defs.append((c.name, _type_sql(c.args.get("kind")), primary, identity))
    return tuple(defs)


_PLAIN_TYPES = {
    "INT",
    "BIGINT",
    "SMALLINT",
    "TEXT",
    "VARCHAR",
    "CHAR",
    "BOOLEAN",
    "UUID",
    "JSON",
    "JSONB",
    "DATE",
    "TIMESTAMP",
    "TIMESTAMPTZ",
    "SERIAL",
    "BIGSERIAL",
    "SMALLSERIAL",
    "DECIMAL",
}


def _type_sql(kind: exp.Expression | None, dialect: str = "postgresql") -> str | None:
    """A column type in the migration's own dialect: the catalogue compares it and recipes paste it,
    so MySQL's TINYINT(1), MEDIUMTEXT, DATETIME and ENUM('a') must not come back as Postgres types."""
    if kind is None:
        return None
    name = getattr(kind.this, "value", None) if isinstance(kind, exp.DataType) else None
    if (
        name in _PLAIN_TYPES
        and not (dialect == "mysql" and name == "TIMESTAMPTZ")  # MySQL's TIMESTAMP, spelled so
        and not kind.args.get("nested")
        and all(
            isinstance(p, exp.DataTypeParam) and isinstance(p.this, exp.Literal) for p in kind.expressions
        )
    ):
        # Common types spelled exactly as sqlglot's generator would, without running it (4x faster).
        params = ", ".join(p.this.name for p in kind.expressions)
        return f"{name}({params})" if params else name
    if dialect == "mysql":
        return kind.sql(dialect="mysql")  # not upper-cased: ENUM and SET values are case-sensitive
    return kind.sql(dialect="postgres").upper()


def _drop(e: exp.Drop, loc: Location) -> Iterator[Operation]:
    kind = str(e.args.get("kind") or "").upper()
    cascade = bool(e.args.get("cascade"))
    if_exists = bool(e.args.get("exists"))
    for target in e.args.get("tables") or e.expressions or [e.this]:
        if target is None:
            continue
        if kind == "TABLE":
            yield Operation(
                m.DROP_TABLE,
                loc,
                table=_name(target),
                schema=_schema(target),
                cascade=cascade,
                if_exists=if_exists,
            )
        elif kind == "INDEX":
            yield Operation(
                m.DROP_INDEX,
                loc,
                index=_name(target),
                schema=_schema(target),
                concurrently=bool(e.args.get("concurrently")),
                cascade=cascade,
                if_exists=if_exists,
            )
        else:
            name = _name(target) or (target.db if isinstance(target, exp.Table) else None)
            on = e.args.get("cluster")  # DROP TRIGGER trg ON t: the table whose lock it takes
            on_table = on.this if isinstance(on, exp.OnProperty) and kind == "TRIGGER" else None
            yield Operation(
                m.DROP_OBJECT,
                loc,
                object_type=kind.lower() or None,
                object_name=name,
                table=_name(on_table),
                schema=_schema(on_table),
                cascade=cascade,
                if_exists=if_exists,
            )


def _alter(e: exp.Alter, loc: Location, dialect: str) -> Iterator[Operation]:
    kind = str(e.args.get("kind") or "").upper()
    target = e.this
    table, schema = _name(target), _schema(target)
    actions = e.args.get("actions") or []
    if kind != "TABLE":
        for action in actions:
            if isinstance(action, exp.AlterRename):
                yield Operation(
                    m.RENAME_OBJECT,
                    loc,
                    object_type=kind.lower(),
                    object_name=table,
                    new_name=_name(action.this),
                )
            elif isinstance(action, exp.AlterSet) and action.args.get("tablespace") is not None:
                yield Operation(
                    m.SET_TABLESPACE,
                    loc,
                    object_type=kind.lower(),
                    object_name=table,
                    index=table if kind == "INDEX" else None,
                )
            else:
                yield Operation(m.ALTER_TABLE_OTHER, loc, object_type=kind.lower(), object_name=table)
        return
    not_valid = bool(e.args.get("not_valid"))
    # Postgres `RENAME a TO b` (COLUMN is optional) comes back as a table rename to `a` with a `TO b`
    # option: it renames a column.
    rename_to = [o for o in e.args.get("options") or [] if isinstance(o, exp.ToTableProperty)]
    options = {
        _option_key(o): _option_value(o)
        for o in e.args.get("options") or []
        if not isinstance(o, exp.ToTableProperty)
    }
    base: dict[str, Any] = dict(table=table, schema=schema)
    produced = False
    for action in actions:
        if rename_to and isinstance(action, exp.AlterRename):
            new_name = _name(rename_to[0].this)
            action = exp.RenameColumn(this=action.this, to=exp.to_identifier(new_name))
        for op in _alter_action(action, loc, base, not_valid, dialect):
            produced = True
            if options:
                op = _with(op, detail=op.detail + (("mysql_options", tuple(sorted(options.items()))),))
            yield op
    if not produced:
        yield Operation(m.ALTER_TABLE_OTHER, loc, **base)


def _option_key(option: exp.Expression) -> str:
    return type(option).__name__.replace("Property", "").upper()


def _option_value(option: exp.Expression) -> str:
    return (option.name or option.sql()).upper()


def _alter_action(
    action: exp.Expression, loc: Location, base: dict, not_valid: bool, dialect: str
) -> Iterator[Operation]:
    if isinstance(action, exp.ColumnDef):
        yield _add_column(action, loc, base, dialect)
    elif isinstance(action, exp.ModifyColumn):
        # MySQL MODIFY/CHANGE COLUMN: restates the whole column definition.
        column_def = action.this
        renamed_from = action.args.get("rename_from")
        if renamed_from is not None and renamed_from.name.lower() != column_def.name.lower():
            # `CHANGE COLUMN body body longtext` restates the name: only a type change.
            yield Operation(
                m.RENAME_COLUMN, loc, column=_name(renamed_from), new_name=column_def.name, **base
            )
        yield Operation(
            m.ALTER_COLUMN_TYPE,
            loc,
            column=column_def.name,
            type=_type_sql(column_def.args.get("kind"), dialect),
            nullable=_column_nullable(column_def),
            detail=(("statement", "MODIFY"),),
            **base,
        )
    elif isinstance(action, exp.Drop):
        drop_kind = str(action.args.get("kind") or "").upper()
        for target in action.args.get("tables") or action.expressions:
            if drop_kind == "COLUMN":
                yield Operation(
                    m.DROP_COLUMN, loc, column=_name(target), cascade=bool(action.args.get("cascade")), **base
                )
            elif drop_kind == "CONSTRAINT":
                yield Operation(
                    m.DROP_CONSTRAINT,
                    loc,
                    constraint=_name(target),
                    cascade=bool(action.args.get("cascade")),
                    **base,
                )
            elif drop_kind == "INDEX":
                yield Operation(m.DROP_INDEX, loc, index=_name(target), **base)
            else:
                yield Operation(m.ALTER_TABLE_OTHER, loc, detail=(("action", f"DROP {drop_kind}"),), **base)
    elif isinstance(action, exp.RenameColumn):
        yield Operation(
            m.RENAME_COLUMN, loc, column=_name(action.this), new_name=_name(action.args.get("to")), **base
        )
    elif type(action).__name__ == "RenameIndex":  # MySQL `RENAME INDEX|KEY a TO b` (newer sqlglot only)
        yield Operation(
            m.RENAME_OBJECT,
            loc,
            object_type="index",
            object_name=_name(action.this),
            index=_name(action.this),
            new_name=_name(action.args.get("to")),
            **base,
        )
    elif isinstance(action, exp.AlterRename):
        yield Operation(m.RENAME_TABLE, loc, new_name=_name(action.this), **base)
    elif isinstance(action, exp.AlterColumn):
        yield from _alter_column(action, loc, base)
    elif isinstance(action, exp.AddConstraint):
        for constraint in action.expressions:
            yield _add_constraint(constraint, loc, base, not_valid)
    elif isinstance(action, exp.AlterSet):
        if action.args.get("tablespace") is not None:
            yield Operation(m.SET_TABLESPACE, loc, **base)
        elif str(action.args.get("option") or "").upper() in ("LOGGED", "UNLOGGED"):
            logged = str(action.args.get("option")).upper() == "LOGGED"
            yield Operation(m.SET_LOGGED, loc, detail=(("logged", logged),), **base)
        else:
            yield Operation(m.ALTER_TABLE_OTHER, loc, detail=(("action", "SET"),), **base)
    else:
        yield Operation(m.ALTER_TABLE_OTHER, loc, detail=(("action", type(action).__name__),), **base)


def _column_nullable(column_def: exp.ColumnDef) -> bool | None:
    for constraint in column_def.constraints:
        kind = constraint.kind
        if isinstance(kind, exp.NotNullColumnConstraint):
            return bool(kind.args.get("allow_null"))
        if isinstance(kind, exp.PrimaryKeyColumnConstraint):
            return False
    return True


def _add_column(column_def: exp.ColumnDef, loc: Location, base: dict, dialect: str) -> Operation:
    default_sql = None
    details: list[tuple[str, object]] = []
    references = constraint_name = None
    for constraint in column_def.constraints:
        kind = constraint.kind
        if isinstance(kind, exp.DefaultColumnConstraint):
            default_sql = kind.this.sql(dialect="postgres") if kind.this is not None else None
        elif isinstance(kind, exp.GeneratedAsIdentityColumnConstraint):
            details.append(("identity", True))
        elif isinstance(kind, exp.ComputedColumnConstraint):
            # Postgres ≤ 17 only has STORED generated columns; VIRTUAL ones (PG 18, MySQL) rewrite nothing.
            details.append(("generated_stored", "VIRTUAL" not in column_def.sql(dialect="postgres").upper()))
        elif isinstance(kind, exp.Reference):
            references = _name(kind.this.this if isinstance(kind.this, exp.Schema) else kind.this)
            constraint_name = _name(constraint.this)  # `CONSTRAINT fk REFERENCES t`: the user's name
        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
            details.append(("primary_key", True))
        elif isinstance(kind, exp.UniqueColumnConstraint):
            details.append(("unique", True))
        elif isinstance(kind, exp.CheckColumnConstraint):
            details.append(("check", True))
    type_sql = _type_sql(column_def.args.get("kind"), dialect)
    if type_sql and type_sql.split("(")[0] in ("SERIAL", "BIGSERIAL", "SMALLSERIAL"):
        details.append(("serial", True))
    if column_def.args.get("position") is not None:  # MySQL ADD COLUMN ... FIRST | AFTER col
        details.append(("position", column_def.args["position"].sql().upper()))
    return Operation(
        m.ADD_COLUMN,
        loc,
        column=column_def.name,
        type=type_sql,
        nullable=_column_nullable(column_def),
        has_default=default_sql is not None,
        default_sql=default_sql,
        default_volatile=default_is_volatile(default_sql) if default_sql is not None else None,
        references=references,
        constraint=constraint_name,
        constraint_type="foreign_key" if references else None,
        detail=tuple(details),
        **base,
    )


def _alter_column(action: exp.AlterColumn, loc: Location, base: dict) -> Iterator[Operation]:
    column = _name(action.this)
    if action.args.get("dtype") is not None:
        using = action.args.get("using")
        yield Operation(
            m.ALTER_COLUMN_TYPE,
            loc,
            column=column,
            type=_type_sql(action.args.get("dtype")),
            detail=(("using", using.sql(dialect="postgres") if isinstance(using, exp.Expression) else None),),
            **base,
        )
    elif action.args.get("allow_null") is False:
        yield Operation(m.SET_NOT_NULL, loc, column=column, nullable=False, **base)
    elif action.args.get("allow_null") is True and action.args.get("drop"):
        yield Operation(m.DROP_NOT_NULL, loc, column=column, nullable=True, **base)
    elif action.args.get("default") is not None:
        default_sql = action.args["default"].sql(dialect="postgres")
        yield Operation(
            m.SET_DEFAULT,
            loc,
            column=column,
            has_default=True,
            default_sql=default_sql,
            default_volatile=default_is_volatile(default_sql),
            **base,
        )
    elif action.args.get("drop"):
        yield Operation(m.DROP_DEFAULT, loc, column=column, has_default=False, **base)
    else:
        yield Operation(m.ALTER_TABLE_OTHER, loc, column=column, detail=(("action", "ALTER COLUMN"),), **base)


def _add_constraint(constraint: exp.Expression, loc: Location, base: dict, not_valid: bool) -> Operation:
    name = None
    body = constraint
    if isinstance(constraint, exp.Constraint):
        name = _name(constraint.this)
        body = constraint.expressions[0] if constraint.expressions else constraint
    if isinstance(body, exp.ForeignKey):
        reference = body.args.get("reference")
        ref_table = None
        if reference is not None:
            target = reference.this
            ref_table = _name(target.this if isinstance(target, exp.Schema) else target)
        columns = tuple(c.name for c in body.expressions)
        return Operation(
            m.ADD_CONSTRAINT,
            loc,
            constraint=name,
            constraint_type="foreign_key",
            references=ref_table,
            columns=columns,
            not_valid=not_valid,
            **base,
        )
    if isinstance(body, (exp.CheckColumnConstraint, exp.Check)):
        return Operation(
            m.ADD_CONSTRAINT, loc, constraint=name, constraint_type="check", not_valid=not_valid, **base
        )
    if isinstance(body, (exp.UniqueColumnConstraint,)):
        columns = tuple(c.name for c in (body.this.expressions if isinstance(body.this, exp.Schema) else []))
        return Operation(
            m.ADD_CONSTRAINT, loc, constraint=name, constraint_type="unique", columns=columns, **base
        )
    if isinstance(body, (exp.PrimaryKey, exp.PrimaryKeyColumnConstraint)):
        columns = tuple(c.name for c in body.expressions) if isinstance(body, exp.PrimaryKey) else ()
        return Operation(
            m.ADD_CONSTRAINT, loc, constraint=name, constraint_type="primary_key", columns=columns, **base
        )
    if isinstance(body, exp.IndexColumnConstraint):
        # MySQL `ADD INDEX name (cols)` inside ALTER TABLE.
        columns = tuple(c.name for c in body.expressions)
        unique = "UNIQUE" in str(body.args.get("kind") or "").upper()
        return Operation(
            m.CREATE_INDEX,
            loc,
            index=_name(body.this),
            columns=columns,
            unique=unique,
            concurrently=None,
            **base,
        )
    if isinstance(body, exp.ExcludeColumnConstraint):
        return Operation(m.ADD_CONSTRAINT, loc, constraint=name, constraint_type="exclude", **base)
    return Operation(
        m.ADD_CONSTRAINT, loc, constraint=name, constraint_type=None, not_valid=not_valid, **base
    )
