"""Mechanical fixes in SQL text: CONCURRENTLY for index statements, NOT VALID + VALIDATE for constraints.

Edits are made at token offsets from sqlglot's tokenizer, so comments, string literals and the
user's formatting stay exactly as written; only flagged statements are touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlglot.errors import TokenError
from sqlglot.tokens import Token, TokenType

from pytest_releasesafe.frontends.sql import sqlglot_dialect

# Rules whose statements this module rewrites.
CONCURRENT_RULES = {"RS101", "RS102", "RS103", "RS104"}
NOT_VALID_RULES = {"RS201", "RS202"}
FIXABLE_RULES = CONCURRENT_RULES | NOT_VALID_RULES


@dataclass(frozen=True)
class Edit:
    offset: int  # insert before this character offset
    text: str


@dataclass
class SqlFixResult:
    text: str
    fixed: list[str]  # rule codes fixed, one entry per statement
    validations: list[str]  # "ALTER TABLE t VALIDATE CONSTRAINT c" statements a caller must run later


def _words(tokens: list[Token]) -> list[str]:
    return [
        t.text.upper() if t.token_type not in (TokenType.STRING, TokenType.IDENTIFIER) else "" for t in tokens
    ]


def _statements(tokens: list[Token]) -> list[tuple[list[Token], Token | None]]:
    """Statements with the semicolon that ends each (None for a last statement without one)."""
    result: list[tuple[list[Token], Token | None]] = []
    current: list[Token] = []
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            if current:
                result.append((current, token))
            current = []
        else:
            current.append(token)
    if current:
        result.append((current, None))
    return result


def fix_sql(
    text: str,
    wanted: Callable[[int, int], set[str]],
    *,
    target_version: int = 15,
    inline_validate: bool = True,
    file_in_transaction: bool = False,
    transaction_at: Callable[[int], bool] | None = None,
) -> SqlFixResult:
    """Fix the statements `wanted(first_line, last_line)` names rules for.

    `inline_validate`: append the VALIDATE statement after a NOT VALID add (a .sql file run statement
    by statement); otherwise return it in `validations` for the caller to place (Alembic).
    `transaction_at(line)`: whether the migration tool runs the step holding that line in a
    transaction (goose, dbmate sections); by default `file_in_transaction` for the whole file.
    """
    try:
        tokens = sqlglot_dialect("postgresql").tokenize(text)
    except TokenError:
        return SqlFixResult(text, [], [])
    edits: list[Edit] = []
    fixed: list[str] = []
    validations: list[str] = []
    in_transaction = file_in_transaction  # the migration tool wraps the whole file in one transaction
    step_in_transaction: bool | None = None
    for statement, semicolon in _statements(tokens):
        words = _words(statement)
        if transaction_at is not None and transaction_at(statement[0].line) != step_in_transaction:
            # A new step of the tool: it starts in (or out of) the tool's own transaction.
            step_in_transaction = in_transaction = file_in_transaction = transaction_at(statement[0].line)
        if words[:1] in (["BEGIN"], ["START"]):
            in_transaction = True
            continue
        if words[:1] in (["COMMIT"], ["END"], ["ROLLBACK"]):
            in_transaction = file_in_transaction
            continue
        rules = wanted(statement[0].line, statement[-1].line) & FIXABLE_RULES
        if not rules:
            continue
        if in_transaction:
            continue  # CONCURRENTLY cannot run there, and a VALIDATE there keeps the add's lock
        edit = _concurrently(text, statement, words, target_version) if rules & CONCURRENT_RULES else None
        if edit is not None:
            edits.append(edit)
            fixed.append(sorted(rules & CONCURRENT_RULES)[0])
        elif rules & NOT_VALID_RULES:
            result = _not_valid(statement, words)
            if result is not None:
                new_edits, validate = result
                edits.extend(new_edits)
                fixed.append(sorted(rules & NOT_VALID_RULES)[0])
                if inline_validate:
                    end = semicolon.end + 1 if semicolon is not None else statement[-1].end + 1
                    edits.append(Edit(end, ("" if semicolon is not None else ";") + f"\n{validate};"))
                else:
                    validations.append(validate)
    for edit in sorted(edits, key=lambda e: e.offset, reverse=True):
        text = text[: edit.offset] + edit.text + text[edit.offset :]
    return SqlFixResult(text, fixed, validations)


_REINDEX = re.compile(r"REINDEX\s*(?:\([^)]*\)\s*)?(?:INDEX|TABLE|SCHEMA|DATABASE)\b", re.IGNORECASE)


def _concurrently(text: str, statement: list[Token], words: list[str], target_version: int) -> Edit | None:
    start = statement[0].start
    source = text[start : statement[-1].end + 1]
    if "CONCURRENTLY" in source.upper().split():
        return None
    if words[:1] == ["CREATE"]:
        at = 2 if words[1:2] == ["UNIQUE"] else 1
        if words[at : at + 1] != ["INDEX"]:
            return None
        return Edit(statement[at].end + 1, " CONCURRENTLY")
    if words[:2] == ["DROP", "INDEX"]:
        if any(t.token_type == TokenType.COMMA for t in statement) or "CASCADE" in words:
            return None  # DROP INDEX CONCURRENTLY takes one index and no CASCADE
        return Edit(statement[1].end + 1, " CONCURRENTLY")
    if words[:1] == ["REINDEX"] and target_version >= 12:
        # sqlglot keeps the rest of a REINDEX as one opaque token: read the statement's own text.
        match = _REINDEX.match(source)
        if match:
            return Edit(start + match.end(), " CONCURRENTLY")
    return None


def _not_valid(statement: list[Token], words: list[str]) -> tuple[list[Edit], str] | None:
    """`ALTER TABLE t ADD [CONSTRAINT c] FOREIGN KEY|CHECK ...` with a single action."""
    if words[:2] != ["ALTER", "TABLE"] or "NOT" in words and "VALID" in words:
        return None
    depth = 0
    for token in statement:
        depth += token.token_type == TokenType.L_PAREN
        depth -= token.token_type == TokenType.R_PAREN
        if token.token_type == TokenType.COMMA and depth == 0:
            return None  # several actions in one ALTER: leave it to a person
    k = 2
    if words[k : k + 2] == ["IF", "EXISTS"]:
        k += 2
    if words[k : k + 1] == ["ONLY"]:
        k += 1
    table_start = k
    k += 1
    while k + 1 < len(words) and statement[k].token_type == TokenType.DOT:
        k += 2
    table = "".join(
        t.text if t.token_type != TokenType.IDENTIFIER else f'"{t.text}"' for t in statement[table_start:k]
    )
    if words[k : k + 1] != ["ADD"]:
        return None
    add = statement[k]
    k += 1
    edits: list[Edit] = []
    named = words[k : k + 1] == ["CONSTRAINT"]
    if named:
        name_token = statement[k + 1]
        name = f'"{name_token.text}"' if name_token.token_type == TokenType.IDENTIFIER else name_token.text
        k += 2
    # sqlglot reads FOREIGN KEY as one token; accept both spellings.
    foreign_key = words[k : k + 1] == ["FOREIGN KEY"] or words[k : k + 2] == ["FOREIGN", "KEY"]
    if not foreign_key and words[k : k + 1] != ["CHECK"]:
        return None
    if not named:
        base = table.split(".")[-1].strip('"')
        columns = _paren_names(statement[k:]) if foreign_key else []
        name = f"{base}_{'_'.join(columns)}_fkey" if foreign_key else f"{base}_check"
        edits.append(Edit(add.end + 1, f" CONSTRAINT {name}"))
    edits.append(Edit(statement[-1].end + 1, " NOT VALID"))
    return edits, f"ALTER TABLE {table} VALIDATE CONSTRAINT {name}"


def _paren_names(tokens: list[Token]) -> list[str]:
    names: list[str] = []
    depth = 0
    for token in tokens:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                break
        elif depth == 1 and token.token_type in (TokenType.VAR, TokenType.IDENTIFIER):
            names.append(token.text)
    return names
