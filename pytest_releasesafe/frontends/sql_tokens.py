"""Token-level classification of statements sqlglot leaves opaque.

sqlglot parses about 93% of real Postgres migration statements; the rest come back as a `Command`
(or fail): `ADD CHECK (...)`, `VALIDATE CONSTRAINT`, `ALTER TYPE ... ADD VALUE`, `REINDEX`,
`LOCK TABLE`, `CLUSTER`, `DO $$ ... $$`, `RENAME CONSTRAINT`, MySQL `CREATE INDEX ... ALGORITHM=`…
These are still classified here from their tokens, so every rule sees them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlglot.errors import TokenError
from sqlglot.tokens import Token, TokenType

from pytest_releasesafe import model as m
from pytest_releasesafe.frontends.defaults import default_is_volatile
from pytest_releasesafe.model import Location, Operation

STATEMENT_KEYWORDS = {
    "ALTER",
    "ANALYZE",
    "BEGIN",
    "CALL",
    "CLUSTER",
    "COMMENT",
    "COMMIT",
    "COPY",
    "CREATE",
    "DEALLOCATE",
    "DELETE",
    "DISCARD",
    "DO",
    "DROP",
    "END",
    "EXECUTE",
    "EXPLAIN",
    "GRANT",
    "IMPORT",
    "INSERT",
    "LISTEN",
    "LOAD",
    "LOCK",
    "MERGE",
    "MOVE",
    "NOTIFY",
    "PREPARE",
    "REASSIGN",
    "REFRESH",
    "REINDEX",
    "RELEASE",
    "RENAME",
    "RESET",
    "REVOKE",
    "ROLLBACK",
    "SAVEPOINT",
    "SECURITY",
    "SELECT",
    "SET",
    "SHOW",
    "START",
    "TRUNCATE",
    "UPDATE",
    "VACUUM",
    "VALUES",
    "WITH",
    "OPTIMIZE",
    "REPAIR",
    "USE",
    "PRAGMA",
    "UNLOCK",
}

_NAME_TYPES = {TokenType.VAR, TokenType.IDENTIFIER}


class _Cursor:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self, ahead: int = 0) -> str:
        j = self.i + ahead
        if j >= len(self.tokens):
            return ""
        token = self.tokens[j]
        if token.token_type in (TokenType.STRING, TokenType.IDENTIFIER):
            return ""  # literals and quoted names never match keywords
        return token.text.upper()

    def accept(self, *words: str) -> bool:
        if all(self.peek(k) == word for k, word in enumerate(words)):
            self.i += len(words)
            return True
        return False

    def done(self) -> bool:
        return self.i >= len(self.tokens)

    def name(self) -> tuple[str | None, str | None]:
        """Read a possibly schema-qualified name; return (schema, name)."""
        if self.done():
            return None, None
        parts = [self.tokens[self.i].text]
        self.i += 1
        while self.peek() == "." and self.i + 1 < len(self.tokens):
            parts.append(self.tokens[self.i + 1].text)
            self.i += 2
        if len(parts) == 1:
            return None, parts[0]
        return parts[-2], parts[-1]

    def rest(self) -> list[Token]:
        return self.tokens[self.i :]


def expand_command(dialect: Any, tokens: list[Token]) -> list[Token]:
    """sqlglot's tokenizer swallows the rest of LOCK/REINDEX/VACUUM/DO… into one string token; split it again."""
    if (
        len(tokens) == 2
        and tokens[0].token_type in dialect.commands
        and tokens[1].token_type == TokenType.STRING
    ):
        try:
            return [tokens[0], *dialect.tokenize(tokens[1].text)]
        except TokenError:
            return tokens
    return tokens


def looks_like_sql(tokens: list[Token]) -> bool:
    # MySQL tokenizes some two-word commands (`LOCK TABLES`) as one token.
    return bool(tokens) and tokens[0].text.upper().split(" ")[0] in STATEMENT_KEYWORDS


def unbalanced_parentheses(tokens: list[Token]) -> bool:
    depth = 0
    for token in tokens:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
            if depth < 0:
                return True
    return depth != 0


_DEFAULT_ENDS = {
    "NOT",
    "NULL",
    "REFERENCES",
    "CHECK",
    "UNIQUE",
    "PRIMARY",
    "CONSTRAINT",
    "GENERATED",
    "COLLATE",
}


def raw_defaults(tokens: list[Token], text: str) -> list[str]:
    """Each `DEFAULT <expr>` of a statement as written: sqlglot rewrites some calls (`now(123)` comes
    back as CURRENT_TIMESTAMP), and the volatility of a default must be judged on what the user wrote."""
    found: list[str] = []
    depth = 0
    start: int | None = None
    last: Token | None = None
    for k, token in enumerate(tokens):
        word = "" if token.token_type in (TokenType.STRING, TokenType.IDENTIFIER) else token.text.upper()
        if (
            start is not None
            and depth == 0
            and (word in _DEFAULT_ENDS or token.token_type == TokenType.COMMA)
        ):
            assert last is not None  # set at the end of the iteration that set start
            found.append(text[tokens[start].start : last.end + 1])
            start = None
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        if (
            word == "DEFAULT"
            and depth == 0
            and start is None
            and (k == 0 or tokens[k - 1].text.upper() != "DROP")
        ):
            start = k + 1 if k + 1 < len(tokens) else None
        last = token
    if start is not None and last is not None:
        found.append(text[tokens[start].start : last.end + 1])
    return found


def classify(tokens: list[Token], loc: Location, dialect: str) -> list[Operation] | None:
    """Operations for a statement, or None when its shape is not known here."""
    c = _Cursor(tokens)
    if c.accept("ALTER", "TABLE"):
        return _alter_table(c, loc)
    if c.accept("ALTER", "TYPE"):
        return _alter_type(c, loc)
    for object_type in (
        "INDEX",
        "SEQUENCE",
        "VIEW",
        "MATERIALIZED VIEW",
        "SCHEMA",
        "FUNCTION",
        "TRIGGER",
        "DOMAIN",
        "PROCEDURE",
    ):
        if c.accept("ALTER", *object_type.split()):
            return _alter_other(c, loc, object_type.lower())
    if c.accept("REINDEX"):
        return _reindex(c, loc)
    if c.accept("LOCK") or c.accept("LOCK TABLES"):
        c.accept("TABLE") or c.accept("TABLES")  # MySQL: LOCK TABLES t READ|WRITE
        c.accept("ONLY")
        _, table = c.name()
        words = [t.text.upper() for t in c.rest()]
        mode = (
            " ".join(words[words.index("IN") + 1 : words.index("MODE")])
            if "IN" in words and "MODE" in words
            else "SHARE"
            if "READ" in words and "WRITE" not in words
            else "ACCESS EXCLUSIVE"
        )
        return [
            Operation(m.LOCK_TABLE, loc, table=table, detail=(("mode", mode), ("nowait", "NOWAIT" in words)))
        ]
    if c.accept("VACUUM"):
        words = [t.text.upper() for t in c.rest()]
        tables = [
            t.text
            for t in c.rest()
            if t.token_type in _NAME_TYPES and t.text.upper() not in ("FULL", "ANALYZE", "VERBOSE", "FREEZE")
        ]
        if _vacuum_full(c.rest()):
            return [Operation(m.VACUUM_FULL, loc, table=tables[-1] if tables else None)]
        return [Operation(m.OTHER, loc, detail=(("statement", "VACUUM"),))]
    if c.accept("CLUSTER"):
        c.accept("VERBOSE")
        _, table = c.name()
        return [Operation(m.CLUSTER, loc, table=table)]
    if c.accept("CREATE"):
        return _create(c, loc)
    if c.accept("DROP"):
        return _drop(c, loc)
    if c.accept("RENAME", "TABLE"):
        _, table = c.name()
        c.accept("TO")
        _, new = c.name()
        return [Operation(m.RENAME_TABLE, loc, table=table, new_name=new)]
    if c.accept("SET"):
        # `SET search_path TO app, public` and other forms sqlglot leaves opaque.
        local = c.accept("LOCAL")
        c.accept("SESSION")
        _, name = c.name()
        c.accept("TO") or c.accept("=")
        value = " ".join(t.text for t in c.rest())
        return [
            Operation(
                m.SET_SETTING,
                loc,
                detail=(("name", (name or "").lower()), ("value", value), ("local", local)),
            )
        ]
    if c.accept("DO"):
        return [
            Operation(
                m.UNRECOGNIZED,
                loc,
                detail=(("reason", "DO block: procedural code is not analysed"), ("do_block", True)),
            )
        ]
    if c.accept("START", "TRANSACTION") or c.accept("BEGIN"):
        return [Operation(m.BEGIN, loc)]
    if c.accept("END") or c.accept("COMMIT"):
        return [Operation(m.COMMIT, loc)]
    if c.peek().split(" ")[0] in (
        "ANALYZE",
        "GRANT",
        "REVOKE",
        "COMMENT",
        "REFRESH",
        "NOTIFY",
        "SECURITY",
        "SHOW",
        "USE",
        "PRAGMA",
        "EXPLAIN",
        "UNLOCK",
    ):
        return [Operation(m.OTHER, loc, detail=(("statement", c.peek()),))]
    return None


def split_top_level(
    tokens: list[Token], separator: TokenType, *, in_parentheses: bool = False
) -> Iterator[list[Token]]:
    """Token runs between separators outside parentheses (ALTER actions at `,`), or anywhere with
    `in_parentheses=True` (statements at `;`: one unclosed parenthesis must not swallow the rest of a file).

    String literals and dollar-quoted bodies are single tokens, so a separator inside them never splits.
    """
    depth = 0
    current: list[Token] = []
    for token in tokens:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        if token.token_type == separator and (in_parentheses or depth <= 0):
            if current:
                yield current
            current = []
        else:
            current.append(token)
    if current:
        yield current


def _alter_table(c: _Cursor, loc: Location) -> list[Operation]:
    c.accept("IF", "EXISTS")
    c.accept("ONLY")
    schema, table = c.name()
    c.accept("*")
    base: dict[str, Any] = dict(table=table, schema=schema)
    operations: list[Operation] = []
    options: list[tuple[str, str]] = []
    for action_tokens in split_top_level(c.rest(), TokenType.COMMA):
        a = _Cursor(action_tokens)
        if a.peek() in ("ALGORITHM", "LOCK") and a.peek(1) == "=":
            options.append((a.peek(), a.peek(2)))
            continue
        operations.extend(_alter_table_action(a, loc, base))
    if options:
        operations = [
            op.__class__(
                **{**op.__dict__, "detail": op.detail + (("mysql_options", tuple(sorted(options))),)}
            )
            for op in operations
        ]
    return operations or [Operation(m.ALTER_TABLE_OTHER, loc, **base)]


def _words(tokens: list[Token]) -> list[str]:
    return [
        t.text.upper() if t.token_type not in (TokenType.STRING, TokenType.IDENTIFIER) else "" for t in tokens
    ]


def _alter_table_action(a: _Cursor, loc: Location, base: dict) -> list[Operation]:
    words = _words(a.tokens)
    not_valid = "NOT" in words and "VALID" in words and words.index("VALID") == words.index("NOT") + 1
    if a.accept("VALIDATE", "CONSTRAINT"):
        _, name = a.name()
        return [Operation(m.VALIDATE_CONSTRAINT, loc, constraint=name, **base)]
    if a.accept("RENAME", "CONSTRAINT"):
        _, name = a.name()
        a.accept("TO")
        _, new = a.name()
        return [
            Operation(m.RENAME_OBJECT, loc, object_type="constraint", object_name=name, new_name=new, **base)
        ]
    if a.accept("RENAME", "TO") or a.accept("RENAME", "AS"):  # MySQL also spells it `RENAME AS`
        _, new = a.name()
        return [Operation(m.RENAME_TABLE, loc, new_name=new, **base)]
    if a.accept("RENAME"):
        a.accept("COLUMN")
        _, column = a.name()
        if not a.accept("TO"):  # MySQL `RENAME new_name`: the table, not a column
            return [Operation(m.RENAME_TABLE, loc, new_name=column, **base)]
        _, new = a.name()
        return [Operation(m.RENAME_COLUMN, loc, column=column, new_name=new, **base)]
    if a.accept("ADD"):
        name = None
        if a.accept("CONSTRAINT"):
            _, name = a.name()
        if a.peek() == "CHECK":
            return [
                Operation(
                    m.ADD_CONSTRAINT,
                    loc,
                    constraint=name,
                    constraint_type="check",
                    not_valid=not_valid,
                    **base,
                )
            ]
        if a.accept("FOREIGN", "KEY"):
            columns = _paren_names(a)
            a.accept("REFERENCES")
            _, ref = a.name()
            return [
                Operation(
                    m.ADD_CONSTRAINT,
                    loc,
                    constraint=name,
                    constraint_type="foreign_key",
                    references=ref,
                    columns=columns,
                    not_valid=not_valid,
                    **base,
                )
            ]
        if a.accept("PRIMARY", "KEY") or a.accept("UNIQUE"):
            constraint_type = "primary_key" if "PRIMARY" in words else "unique"
            if a.accept("USING", "INDEX"):
                _, index = a.name()
                return [
                    Operation(
                        m.ADD_CONSTRAINT,
                        loc,
                        constraint=name,
                        constraint_type=constraint_type,
                        index=index,
                        detail=(("using_index", True),),
                        **base,
                    )
                ]
            if constraint_type == "unique" and (a.accept("INDEX") or a.accept("KEY")) and name is None:
                _, index = a.name()
                return [
                    Operation(
                        m.CREATE_INDEX,
                        loc,
                        index=index,
                        unique=True,
                        columns=_paren_names(a),
                        concurrently=None,
                        **base,
                    )
                ]
            return [
                Operation(
                    m.ADD_CONSTRAINT,
                    loc,
                    constraint=name,
                    constraint_type=constraint_type,
                    columns=_paren_names(a),
                    **base,
                )
            ]
        if a.accept("EXCLUDE"):
            return [Operation(m.ADD_CONSTRAINT, loc, constraint=name, constraint_type="exclude", **base)]
        if a.peek() in ("INDEX", "KEY", "FULLTEXT", "SPATIAL"):
            a.i += 1
            a.accept("INDEX") or a.accept("KEY")
            _, index = a.name()
            return [
                Operation(
                    m.CREATE_INDEX, loc, index=index, columns=_paren_names(a), concurrently=None, **base
                )
            ]
        if a.peek() == "PARTITION":  # MySQL `ADD PARTITION (...)`: no column
            return [Operation(m.ALTER_TABLE_OTHER, loc, detail=(("action", "ADD PARTITION"),), **base)]
        a.accept("COLUMN")
        a.accept("IF", "NOT", "EXISTS")
        return [_add_column(a, loc, base)]
    if a.accept("DROP", "CONSTRAINT"):
        a.accept("IF", "EXISTS")
        _, name = a.name()
        return [Operation(m.DROP_CONSTRAINT, loc, constraint=name, cascade="CASCADE" in words, **base)]
    if a.accept("DROP", "INDEX") or a.accept("DROP", "KEY"):
        _, index = a.name()
        return [Operation(m.DROP_INDEX, loc, index=index, **base)]
    if a.peek() == "DROP" and a.peek(1) in ("PARTITION", "PRIMARY", "FOREIGN", "CHECK", "PERIOD", "SYSTEM"):
        # MySQL/MariaDB: `DROP PARTITION p0`, `DROP PRIMARY KEY`, `DROP FOREIGN KEY fk`: no column is dropped.
        kind = (
            "FOREIGN KEY"
            if a.peek(1) == "FOREIGN"
            else "PRIMARY KEY"
            if a.peek(1) == "PRIMARY"
            else a.peek(1)
        )
        a.i += 3 if kind in ("FOREIGN KEY", "PRIMARY KEY") else 2
        _, name = a.name()
        return [
            Operation(m.ALTER_TABLE_OTHER, loc, constraint=name, detail=(("action", f"DROP {kind}"),), **base)
        ]
    if a.accept("DROP"):
        a.accept("COLUMN")
        a.accept("IF", "EXISTS")
        _, column = a.name()
        return [Operation(m.DROP_COLUMN, loc, column=column, cascade="CASCADE" in words, **base)]
    if a.accept("ALTER"):
        a.accept("COLUMN")
        _, column = a.name()
        if a.accept("SET", "DATA", "TYPE") or a.accept("TYPE"):
            type_words = []
            while not a.done() and a.peek() not in ("USING", "COLLATE"):
                type_words.append(a.tokens[a.i].text)
                a.i += 1
            return [
                Operation(
                    m.ALTER_COLUMN_TYPE, loc, column=column, type=" ".join(type_words).upper() or None, **base
                )
            ]
        if a.accept("SET", "NOT", "NULL"):
            return [Operation(m.SET_NOT_NULL, loc, column=column, nullable=False, **base)]
        if a.accept("DROP", "NOT", "NULL"):
            return [Operation(m.DROP_NOT_NULL, loc, column=column, nullable=True, **base)]
        if a.accept("SET", "DEFAULT"):
            default_sql = " ".join(t.text for t in a.rest())
            return [
                Operation(
                    m.SET_DEFAULT,
                    loc,
                    column=column,
                    has_default=True,
                    default_sql=default_sql,
                    default_volatile=default_is_volatile(default_sql),
                    **base,
                )
            ]
        if a.accept("DROP", "DEFAULT"):
            return [Operation(m.DROP_DEFAULT, loc, column=column, has_default=False, **base)]
        return [
            Operation(m.ALTER_TABLE_OTHER, loc, column=column, detail=(("action", "ALTER COLUMN"),), **base)
        ]
    if a.accept("MODIFY") or a.peek() == "CHANGE":
        renamed_from = None
        if a.accept("CHANGE"):
            a.accept("COLUMN")
            _, renamed_from = a.name()
        else:
            a.accept("COLUMN")
        _, column = a.name()
        type_sql = a.tokens[a.i].text.upper() if not a.done() else None
        ops = []
        if renamed_from and column and renamed_from.lower() != column.lower():
            ops.append(Operation(m.RENAME_COLUMN, loc, column=renamed_from, new_name=column, **base))
        ops.append(
            Operation(
                m.ALTER_COLUMN_TYPE,
                loc,
                column=column,
                type=type_sql,
                nullable="NOT" not in words,
                detail=(("statement", "MODIFY"),),
                **base,
            )
        )
        return ops
    if a.accept("DETACH", "PARTITION"):
        # Postgres 14+: CONCURRENTLY detaches under SHARE UPDATE EXCLUSIVE; FINALIZE completes an interrupted one.
        _, partition = a.name()
        return [
            Operation(
                m.ALTER_TABLE_OTHER,
                loc,
                object_type="partition",
                object_name=partition,
                concurrently="CONCURRENTLY" in words or "FINALIZE" in words,
                detail=(("action", "DETACH PARTITION"),),
                **base,
            )
        ]
    if a.accept("SET", "TABLESPACE"):
        return [Operation(m.SET_TABLESPACE, loc, **base)]
    if a.accept("SET", "LOGGED") or a.accept("SET", "UNLOGGED"):
        return [Operation(m.SET_LOGGED, loc, detail=(("logged", "LOGGED" in words),), **base)]
    action = " ".join(w for w in words[:3] if w)
    if words and words[0] not in _KNOWN_OTHER_ACTIONS:
        # A misspelt or unknown action (`ALTR COLUMN ...`) must not pass as a harmless ALTER TABLE.
        return [
            Operation(
                m.UNRECOGNIZED,
                loc,
                detail=(("reason", f"ALTER TABLE action not understood ({action})"),),
                **base,
            )
        ]
    return [Operation(m.ALTER_TABLE_OTHER, loc, detail=(("action", action),), **base)]


# ALTER TABLE actions (Postgres, MySQL/MariaDB) that change no column, constraint or index definition.
_KNOWN_OTHER_ACTIONS = {
    "OWNER",
    "ENABLE",
    "DISABLE",
    "SET",
    "RESET",
    "CLUSTER",
    "INHERIT",
    "NO",
    "REPLICA",
    "ATTACH",
    "DETACH",
    "FORCE",
    "OF",
    "NOT",
    "ALGORITHM",
    "LOCK",
    "ENGINE",
    "CONVERT",
    "DEFAULT",
    "CHARACTER",
    "CHARSET",
    "COLLATE",
    "AUTO_INCREMENT",
    "COMMENT",
    "ROW_FORMAT",
    "KEY_BLOCK_SIZE",
    "ORDER",
    "DISCARD",
    "IMPORT",
    "COALESCE",
    "REORGANIZE",
    "EXCHANGE",
    "ANALYZE",
    "CHECK",
    "OPTIMIZE",
    "REBUILD",
    "REPAIR",
    "REMOVE",
    "UPGRADE",
    "PARTITION",
    "STATS_PERSISTENT",
    "STATS_AUTO_RECALC",
    "PACK_KEYS",
    "CHECKSUM",
    "DELAY_KEY_WRITE",
    "MAX_ROWS",
    "MIN_ROWS",
    "AVG_ROW_LENGTH",
    "TABLESPACE",
    "UNION",
    "WITH",
    "WITHOUT",
    "SECONDARY_ENGINE",
    "SECONDARY_LOAD",
    "SECONDARY_UNLOAD",
    "ENCRYPTION",
    "COMPRESSION",
    "TRUNCATE",
}


def _paren_names(a: _Cursor) -> tuple[str, ...]:
    if a.peek() != "(":
        return ()
    names = []
    depth = 0
    while not a.done():
        token = a.tokens[a.i]
        a.i += 1
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                break
        elif depth == 1 and token.token_type in _NAME_TYPES:
            names.append(token.text)
    return tuple(names)


def _add_column(a: _Cursor, loc: Location, base: dict) -> Operation:
    _, column = a.name()
    rest = a.rest()
    words = _words(rest)
    type_sql = rest[0].text.upper() if rest else None
    default_sql = None
    if "DEFAULT" in words:
        start = words.index("DEFAULT") + 1
        stop = len(words)
        for k in range(start + 1, len(words)):
            if words[k] in _DEFAULT_ENDS:
                stop = k
                break
        default_sql = " ".join(t.text for t in rest[start:stop])
    references = None
    if "REFERENCES" in words:
        ref_at = words.index("REFERENCES") + 1
        references = rest[ref_at].text if ref_at < len(rest) else None
    details: list[tuple[str, object]] = []
    # Inline column constraints build the same key, index or check as their ADD CONSTRAINT forms.
    if "PRIMARY" in words:
        details.append(("primary_key", True))
    elif "UNIQUE" in words:
        details.append(("unique", True))
    if "CHECK" in words:
        details.append(("check", True))
    constraint = None
    if "CONSTRAINT" in words and words.index("CONSTRAINT") + 1 < len(rest):
        constraint = rest[words.index("CONSTRAINT") + 1].text
    if "IDENTITY" in words:
        details.append(("identity", True))
    if "FIRST" in words or "AFTER" in words:  # MySQL column position
        details.append(("position", "FIRST" if "FIRST" in words else "AFTER"))
    if "GENERATED" in words and "STORED" in words:
        details.append(("generated_stored", True))
    if type_sql in ("SERIAL", "BIGSERIAL", "SMALLSERIAL"):
        details.append(("serial", True))
    nullable = not (("NOT" in words and "NULL" in words) or "PRIMARY" in words)
    return Operation(
        m.ADD_COLUMN,
        loc,
        column=column,
        type=type_sql,
        nullable=nullable,
        has_default=default_sql is not None,
        default_sql=default_sql,
        default_volatile=default_is_volatile(default_sql) if default_sql is not None else None,
        references=references,
        constraint=constraint if references else None,
        constraint_type="foreign_key" if references else None,
        detail=tuple(details),
        **base,
    )


def _alter_type(c: _Cursor, loc: Location) -> list[Operation]:
    _, name = c.name()
    if c.accept("ADD", "VALUE"):
        c.accept("IF", "NOT", "EXISTS")
        value = c.tokens[c.i].text if not c.done() else None
        return [
            Operation(
                m.ALTER_ENUM_ADD_VALUE, loc, object_type="type", object_name=name, detail=(("value", value),)
            )
        ]
    if c.accept("RENAME", "VALUE"):
        old = c.tokens[c.i].text if not c.done() else None
        c.i += 1
        c.accept("TO")
        new = c.tokens[c.i].text if not c.done() else None
        return [
            Operation(
                m.RENAME_OBJECT, loc, object_type="enum value", object_name=f"{name}.{old}", new_name=new
            )
        ]
    if c.accept("RENAME", "TO"):
        _, new = c.name()
        return [Operation(m.RENAME_OBJECT, loc, object_type="type", object_name=name, new_name=new)]
    return [
        Operation(m.OTHER, loc, object_type="type", object_name=name, detail=(("statement", "ALTER TYPE"),))
    ]


def _alter_other(c: _Cursor, loc: Location, object_type: str) -> list[Operation]:
    c.accept("IF", "EXISTS")
    _, name = c.name()
    _paren_names(c)  # ALTER FUNCTION f(integer) RENAME TO ...: skip the argument types
    if object_type == "domain" and (c.peek() == "ADD" or (c.peek() == "SET" and c.peek(1) == "NOT")):
        return [_domain_constraint(c, loc, name)]
    if c.accept("RENAME", "TO"):
        _, new = c.name()
        return [Operation(m.RENAME_OBJECT, loc, object_type=object_type, object_name=name, new_name=new)]
    if c.accept("SET", "TABLESPACE"):
        return [
            Operation(
                m.SET_TABLESPACE,
                loc,
                object_type=object_type,
                object_name=name,
                index=name if object_type == "index" else None,
            )
        ]
    return [
        Operation(
            m.OTHER,
            loc,
            object_type=object_type,
            object_name=name,
            detail=(("statement", f"ALTER {object_type.upper()}"),),
        )
    ]


_FALSE_WORDS = ("FALSE", "OFF", "0")


def _vacuum_full(tokens: list[Token]) -> bool:
    """`VACUUM FULL t`, `VACUUM (FULL) t`, `VACUUM (FULL true, ANALYZE)`; not `VACUUM (FULL FALSE)`."""
    words = _words(tokens)
    if not words or words[0] != "(":
        return "FULL" in words
    close = words.index(")") if ")" in words else len(words)
    for option in split_top_level(tokens[1:close], TokenType.COMMA):
        option_words = _words(option)
        if option_words and option_words[0] == "FULL":
            return len(option_words) == 1 or option_words[1] not in _FALSE_WORDS
    return False


def _domain_constraint(c: _Cursor, loc: Location, domain: str | None) -> Operation:
    """`ALTER DOMAIN d ADD [CONSTRAINT c] CHECK (...) [NOT VALID]` or `ALTER DOMAIN d SET NOT NULL`:
    both check every column of that domain, in every table, before they commit."""
    words = _words(c.rest())
    name = None
    if c.accept("ADD") and c.accept("CONSTRAINT"):
        _, name = c.name()
    not_null = words[:3] == ["SET", "NOT", "NULL"]
    not_valid = any(words[k : k + 2] == ["NOT", "VALID"] for k in range(len(words) - 1))
    return Operation(
        m.OTHER,
        loc,
        object_type="domain",
        object_name=domain,
        constraint=name,
        constraint_type="not_null" if not_null else "check",
        not_valid=not_valid,
        detail=(("statement", "ALTER DOMAIN"),),
    )


def _reindex(c: _Cursor, loc: Location) -> list[Operation]:
    words = _words(c.rest())
    concurrently = "CONCURRENTLY" in words
    target_kind = next((w for w in words if w in ("INDEX", "TABLE", "SCHEMA", "DATABASE", "SYSTEM")), None)
    names = [
        t.text
        for t in c.rest()
        if t.token_type in _NAME_TYPES and t.text.upper() not in ("CONCURRENTLY", "VERBOSE")
    ]
    name = names[-1] if names else None
    if target_kind == "SYSTEM":
        # The system catalogs cannot be rebuilt concurrently: no online form to advise, review by hand.
        reason = "REINDEX SYSTEM cannot run CONCURRENTLY and locks the system catalogs while it runs"
        return [
            Operation(
                m.UNRECOGNIZED, loc, object_type="system", object_name=name, detail=(("reason", reason),)
            )
        ]
    return [
        Operation(
            m.REINDEX,
            loc,
            concurrently=concurrently,
            index=name if target_kind == "INDEX" else None,
            table=name if target_kind == "TABLE" else None,
            object_type=(target_kind or "").lower() or None,
            object_name=name,
        )
    ]


def _create(c: _Cursor, loc: Location) -> list[Operation]:
    c.accept("OR", "REPLACE")
    unique = c.accept("UNIQUE")
    if c.accept("INDEX"):
        concurrently = c.accept("CONCURRENTLY")
        c.accept("IF", "NOT", "EXISTS")
        index = None
        if c.peek() != "ON":
            _, index = c.name()
        c.accept("ON")
        c.accept("ONLY")
        schema, table = c.name()
        if c.accept("USING"):
            c.i += 1
        columns = _paren_names(c)
        words = _words(c.rest())
        options = tuple(
            (w, words[k + 2])
            for k, w in enumerate(words[:-2])
            if w in ("ALGORITHM", "LOCK") and words[k + 1] == "="
        )
        detail = (("mysql_options", options),) if options else ()
        return [
            Operation(
                m.CREATE_INDEX,
                loc,
                table=table,
                schema=schema,
                index=index,
                columns=columns,
                unique=unique,
                concurrently=concurrently,
                detail=detail,
            )
        ]
    words = _words(c.rest())
    object_type = " ".join(w for w in words[:2] if w in _OBJECT_TYPE_WORDS) or (
        words[0].lower() if words else None
    )
    names = [t.text for t in c.rest() if t.token_type in _NAME_TYPES and t.text.upper() not in _CREATE_WORDS]
    return [
        Operation(
            m.CREATE_OBJECT,
            loc,
            object_type=(object_type or "").lower() or None,
            object_name=names[0] if names else None,
        )
    ]


# Words that name the kind of object a CREATE makes (`CREATE MATERIALIZED VIEW`…).
_OBJECT_TYPE_WORDS = {
    "EXTENSION",
    "TYPE",
    "FUNCTION",
    "VIEW",
    "MATERIALIZED",
    "SCHEMA",
    "SEQUENCE",
    "TRIGGER",
    "PROCEDURE",
    "DOMAIN",
    "POLICY",
    "RULE",
}
# ...and words between CREATE and the object's name that are not the name.
_CREATE_WORDS = _OBJECT_TYPE_WORDS | {"IF", "NOT", "EXISTS", "TEMPORARY", "TEMP", "RECURSIVE"}


def _drop(c: _Cursor, loc: Location) -> list[Operation]:
    words = _words(c.rest())
    for object_type in (
        "MATERIALIZED VIEW",
        "EXTENSION",
        "TYPE",
        "FUNCTION",
        "VIEW",
        "SCHEMA",
        "SEQUENCE",
        "DATABASE",
        "TRIGGER",
        "PROCEDURE",
        "DOMAIN",
        "POLICY",
        "RULE",
        "STATISTICS",
    ):
        if c.accept(*object_type.split()):
            c.accept("IF", "EXISTS")
            _, name = c.name()
            schema = table = None
            if object_type in ("TRIGGER", "POLICY", "RULE") and c.accept("ON"):
                schema, table = c.name()  # the table whose lock the drop takes
            return [
                Operation(
                    m.DROP_OBJECT,
                    loc,
                    object_type=object_type.lower(),
                    object_name=name,
                    table=table,
                    schema=schema,
                    cascade="CASCADE" in words,
                    if_exists="EXISTS" in words,
                )
            ]
    if c.accept("INDEX"):
        concurrently = c.accept("CONCURRENTLY")
        c.accept("IF", "EXISTS")
        schema, index = c.name()
        table = None
        if c.accept("ON"):
            _, table = c.name()
        rest = _words(c.rest())
        options = tuple(  # MySQL `DROP INDEX i ON t ALGORITHM=COPY LOCK=SHARED`
            (w, rest[k + 2])
            for k, w in enumerate(rest[:-2])
            if w in ("ALGORITHM", "LOCK") and rest[k + 1] == "="
        )
        detail = (("mysql_options", options), ("statement", "DROP INDEX")) if options else ()
        return [
            Operation(
                m.DROP_INDEX,
                loc,
                index=index,
                schema=schema,
                table=table,
                concurrently=concurrently,
                detail=detail,
            )
        ]
    if c.accept("TABLE"):
        c.accept("IF", "EXISTS")
        schema, table = c.name()
        return [Operation(m.DROP_TABLE, loc, table=table, schema=schema, cascade="CASCADE" in words)]
    return None  # type: ignore[return-value]
