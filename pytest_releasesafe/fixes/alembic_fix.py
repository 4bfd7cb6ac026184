"""Mechanical fixes in Alembic revision files, as a libcst transform (comments and layout kept).

- `op.create_index` / `op.drop_index` flagged by RS101/RS102/RS103: `postgresql_concurrently=True`,
  and the statement moved into `with op.get_context().autocommit_block():` (adjacent ones share a block);
- `op.execute("CREATE INDEX ...")`, `DROP INDEX`, `REINDEX` in a plain string: CONCURRENTLY added to
  the SQL and the statement moved into an autocommit block the same way;
- `op.create_foreign_key` / `op.create_check_constraint` flagged by RS201/RS202:
  `postgresql_not_valid=True`, followed by the VALIDATE step in its own autocommit block (so it does
  not run in the transaction that holds the add's lock); the same for a flagged `op.execute("ALTER
  TABLE ... ADD ... FOREIGN KEY/CHECK ...")` string.
Calls on a `batch_alter_table` receiver, with computed names or inside a transaction-less context
the linter could not read are left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from pytest_releasesafe.fixes.sql_fix import CONCURRENT_RULES, NOT_VALID_RULES, fix_sql

INDEX_CALLS = {"create_index", "drop_index"}
CONSTRAINT_CALLS = {
    "create_foreign_key": (1, "source_table", "source_schema"),
    "create_check_constraint": (1, "table_name", "schema"),
}


@dataclass
class AlembicFixResult:
    text: str
    fixed: list[str] = field(default_factory=list)


def fix_alembic(
    text: str, wanted: Callable[[int, int], set[str]], *, target_version: int = 15
) -> AlembicFixResult:
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError:
        return AlembicFixResult(text)
    wrapper = MetadataWrapper(module)
    fixer = _Fixer(wanted, target_version)
    new_module = wrapper.visit(fixer)
    return AlembicFixResult(new_module.code, fixer.fixed)


@dataclass
class _Plan:
    """What to do with one flagged statement."""

    statement: cst.BaseStatement
    wrap: bool = False  # move into an autocommit block
    receiver: str = "op"
    validations: list[str] = field(default_factory=list)  # SQL to run in an autocommit block after it


class _Fixer(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, wanted: Callable[[int, int], set[str]], target_version: int) -> None:
        super().__init__()
        self.wanted = wanted
        self.target_version = target_version
        self.fixed: list[str] = []
        self.batch_names: set[str] = set()
        self.autocommit_depth = 0

    # Receivers bound by `with op.batch_alter_table(...) as b:` are not fixed (batch ops recreate tables).
    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            call = item.item
            if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute):
                if (
                    call.func.attr.value == "batch_alter_table"
                    and item.asname
                    and isinstance(item.asname.name, cst.Name)
                ):
                    self.batch_names.add(item.asname.name.value)
                if call.func.attr.value == "autocommit_block":
                    self.autocommit_depth += 1

    def leave_With(self, original: cst.With, updated: cst.With) -> cst.With:
        if any(
            isinstance(i.item, cst.Call)
            and isinstance(i.item.func, cst.Attribute)
            and i.item.func.attr.value == "autocommit_block"
            for i in original.items
        ):
            self.autocommit_depth -= 1
        return updated

    def leave_IndentedBlock(
        self, original: cst.IndentedBlock, updated: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        body: list[cst.BaseStatement] = []
        group: list[cst.BaseStatement] = []
        group_receiver = "op"
        for original_statement, statement in zip(original.body, updated.body, strict=True):
            plan = self._plan(original_statement, statement) if self.autocommit_depth == 0 else None
            if plan is not None and plan.wrap:
                group.append(plan.statement)
                group_receiver = plan.receiver
                continue
            if group:
                body.append(_autocommit(group, group_receiver))
                group = []
            if plan is None:
                body.append(statement)
                continue
            body.append(plan.statement)
            if plan.validations:
                body.append(
                    _autocommit([_execute(plan.receiver, sql) for sql in plan.validations], plan.receiver)
                )
        if group:
            body.append(_autocommit(group, group_receiver))
        return updated.with_changes(body=body)

    def _plan(self, original: cst.BaseStatement, statement: cst.BaseStatement) -> _Plan | None:
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return None
        expression = statement.body[0]
        if not isinstance(expression, cst.Expr) or not isinstance(expression.value, cst.Call):
            return None
        call = expression.value
        if not isinstance(call.func, cst.Attribute) or not isinstance(call.func.value, cst.Name):
            return None
        receiver = call.func.value.value
        if receiver in self.batch_names:
            return None
        position = self.get_metadata(PositionProvider, original)
        rules = self.wanted(position.start.line, position.end.line)
        if not rules:
            return None
        method = call.func.attr.value
        if method in INDEX_CALLS and rules & CONCURRENT_RULES:
            new_call = _set_keyword(call, "postgresql_concurrently", cst.Name("True"))
            self.fixed.append(sorted(rules & CONCURRENT_RULES)[0])
            return _Plan(_replace_call(statement, new_call), wrap=True, receiver=receiver)
        if method in CONSTRAINT_CALLS and rules & NOT_VALID_RULES:
            validate = _validate_sql(call, *CONSTRAINT_CALLS[method])
            if validate is None:
                return None
            new_call = _set_keyword(call, "postgresql_not_valid", cst.Name("True"))
            self.fixed.append(sorted(rules & NOT_VALID_RULES)[0])
            return _Plan(_replace_call(statement, new_call), receiver=receiver, validations=[validate])
        if method == "add_column" and "RS201" in rules and _inline_references_supported():
            if not _has_server_default(call):
                # A new column without a default is all NULL: inline REFERENCES needs no validation scan.
                self.fixed.append("RS201")
                new_call = _set_keyword(call, "inline_references", cst.Name("True"))
                return _Plan(_replace_call(statement, new_call), receiver=receiver)
        if method == "execute" and call.args and _sql_literal(call.args[0].value) is not None:
            return self._plan_execute(statement, call, receiver, rules)
        return None

    def _plan_execute(
        self, statement: cst.SimpleStatementLine, call: cst.Call, receiver: str, rules: set[str]
    ) -> _Plan | None:
        literal = _sql_literal(call.args[0].value)
        assert literal is not None
        sql = literal.evaluated_value
        if not isinstance(sql, str):
            return None
        result = fix_sql(
            sql, lambda first, last: rules, target_version=self.target_version, inline_validate=False
        )
        if not result.fixed:
            if "RS102" in rules and "CONCURRENTLY" in sql.upper():
                # Already concurrent, only in the wrong place: move it out of the transaction.
                self.fixed.append("RS102")
                return _Plan(statement, wrap=True, receiver=receiver)
            return None
        quote = literal.quote
        body = result.text if literal.prefix else result.text.replace("\\", "\\\\")
        if len(quote) == 1 and (quote in body or "\n" in body):
            return None  # would need escapes the original did not have: leave it to a person
        self.fixed.extend(result.fixed)
        new_literal = literal.with_changes(value=f"{literal.prefix}{quote}{body}{quote}")
        first = call.args[0].value
        if isinstance(first, cst.Call):  # sa.text("..."): replace the string inside
            first = first.with_changes(args=[first.args[0].with_changes(value=new_literal), *first.args[1:]])
        else:
            first = new_literal
        new_call = call.with_changes(args=[call.args[0].with_changes(value=first), *call.args[1:]])
        wrap = any(code in CONCURRENT_RULES for code in result.fixed)
        return _Plan(
            _replace_call(statement, new_call), wrap=wrap, receiver=receiver, validations=result.validations
        )


def _sql_literal(node: cst.BaseExpression) -> cst.SimpleString | None:
    """The plain string of `op.execute("...")` or `op.execute(sa.text("..."))`; None for anything computed."""
    if isinstance(node, cst.Call) and len(node.args) >= 1 and node.args[0].keyword is None:
        name = (
            node.func.attr.value
            if isinstance(node.func, cst.Attribute)
            else getattr(node.func, "value", None)
        )
        if name != "text":
            return None
        node = node.args[0].value
    if isinstance(node, cst.SimpleString) and node.prefix.lower() in ("", "r"):
        return node
    return None


def _replace_call(statement: cst.SimpleStatementLine, call: cst.Call) -> cst.SimpleStatementLine:
    expression = statement.body[0]
    assert isinstance(expression, cst.Expr)
    return statement.with_changes(body=[expression.with_changes(value=call)])


def _set_keyword(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    args = list(call.args)
    for k, arg in enumerate(args):
        if arg.keyword is not None and arg.keyword.value == name:
            args[k] = arg.with_changes(value=value)
            return call.with_changes(args=args)
    equal = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
    if args and isinstance(args[-1].comma, cst.Comma):
        # A trailing comma (one argument per line): the new argument takes the last one's place in
        # that layout, and the last argument gets the separator used between the others.
        closing = args[-1].comma.whitespace_after
        between = (
            args[-2].comma.whitespace_after
            if len(args) > 1 and isinstance(args[-2].comma, cst.Comma)
            else closing
        )
        args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=between))
        new = cst.Arg(
            value=value, keyword=cst.Name(name), equal=equal, comma=cst.Comma(whitespace_after=closing)
        )
        return call.with_changes(args=[*args, new])
    new = cst.Arg(value=value, keyword=cst.Name(name), equal=equal)
    if args:
        args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    return call.with_changes(args=[*args, new])


def _string_arg(call: cst.Call, position: int, keyword: str) -> str | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return _literal(arg.value)
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return _literal(positional[position].value) if len(positional) > position else None


def _literal(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString) and node.prefix.lower() in ("", "r"):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _validate_sql(call: cst.Call, table_position: int, table_keyword: str, schema_keyword: str) -> str | None:
    name = _string_arg(call, 0, "constraint_name")
    table = _string_arg(call, table_position, table_keyword)
    if not name or not table:
        return None  # a computed or naming-convention name: VALIDATE needs the real one
    schema = _string_arg(call, 99, schema_keyword)
    qualified = f"{schema}.{table}" if schema else table
    return f"ALTER TABLE {qualified} VALIDATE CONSTRAINT {name}"


def _execute(receiver: str, sql: str) -> cst.SimpleStatementLine:
    literal = '"' + sql.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return cst.SimpleStatementLine(body=[cst.Expr(cst.parse_expression(f"{receiver}.execute({literal})"))])


def _autocommit(statements: Sequence[cst.BaseStatement], receiver: str) -> cst.With:
    first = statements[0]
    leading = (
        first.leading_lines if isinstance(first, (cst.SimpleStatementLine, cst.BaseCompoundStatement)) else ()
    )
    body = [first.with_changes(leading_lines=()) if leading else first, *statements[1:]]
    return cst.With(
        items=[cst.WithItem(cst.parse_expression(f"{receiver}.get_context().autocommit_block()"))],
        body=cst.IndentedBlock(body=body),
        leading_lines=leading,
    )


def _has_server_default(call: cst.Call) -> bool:
    """Does the `sa.Column(...)` given to add_column set a server_default (or is it not a literal call)?"""
    column = next(
        (arg.value for arg in call.args if arg.keyword is None and isinstance(arg.value, cst.Call)), None
    )
    if column is None:
        return True  # a column built elsewhere: cannot tell
    for arg in column.args:
        if arg.keyword is not None and arg.keyword.value == "server_default":
            return not (isinstance(arg.value, cst.Name) and arg.value.value == "None")
        if arg.star:
            return True
    return False


def _inline_references_supported() -> bool:
    """`add_column(..., inline_references=True)` exists from Alembic 1.18.2 on (the version installed here)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        parts = tuple(int(p) for p in version("alembic").split(".")[:3] if p.isdigit())
    except PackageNotFoundError:
        return False
    return parts >= (1, 18, 2)
