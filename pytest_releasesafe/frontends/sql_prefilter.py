"""Cheaper inputs for sqlglot that give exactly the tokens and syntax trees it would give anyway.

Two costs dominate reading real SQL histories, and neither tells a rule anything:

- Dollar-quoted function bodies (`CREATE FUNCTION ... AS $$ ... $$`). sqlglot scans a
  multi-character delimiter one character at a time (~100 ns a character), while a single-quoted
  string without escapes is found with `str.find`. So each body is swapped for a same-length
  `'   '` (newlines kept, so every later line and column is unchanged), the text is tokenized, and
  the string token is swapped back for the heredoc token sqlglot would have produced. Files with
  any other `$` (DO blocks, `$1` parameters) are tokenized as they are, and each swap is checked
  against the token the tokenizer really produced at that place; if anything does not line up
  (a `$$` the scan misread), the original text is tokenized as before.
- Seed data: `INSERT INTO t (...) VALUES (...), (...), ...` with thousands of rows of literals.
  What the linter reads of an INSERT (table, VALUES or SELECT, LIMIT) is all in its first row, and
  a row made only of literals always parses, so sqlglot is given the statement up to its first row.

Only these two shapes are touched; every other statement is tokenized and parsed in full, so the
operations (and the schema the catalogue replays from them) and every finding are unchanged.
`tests/lint/test_lint_sql_prefilter.py` compares both paths token by token and finding by finding.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left
from typing import Any

from sqlglot.tokens import Token, TokenType

# Set RELEASESAFE_PREFILTER=0 to tokenize and parse every statement in full (to compare).
ENABLED = os.environ.get("RELEASESAFE_PREFILTER", "1") != "0"

# What can hide a `$$` or a `;` from the top level: comments, quoted strings and names.
_LEXEME = re.compile(r"--[^\n]*|/\*|'|\"|;|\$(?:[A-Za-z_][A-Za-z_0-9]*)?\$")
_FIRST_WORD = re.compile(r"(?:\s+|--[^\n]*|/\*.*?\*/)*([A-Za-z]+)", re.S)


def tokenize(sg: Any, text: str, dialect: str) -> list[Token]:
    """`sg.tokenize(text)`, faster on dollar-quoted bodies of CREATE statements."""
    if not ENABLED or dialect != "postgresql" or "$" not in text:
        return sg.tokenize(text)
    bodies = _create_bodies(text)
    if not bodies:
        return sg.tokenize(text)
    parts: list[str] = []
    previous = 0
    for start, end, _tag in bodies:
        parts.append(text[previous:start])
        # `'` + blanks + `'` spans exactly `$tag$body$tag$`, lines and all.
        parts.append("'" + _blank(text[start + 1 : end]) + "'")
        previous = end + 1
    parts.append(text[previous:])
    if any("$" in part for part in parts[::2]):
        # Another `$` ($1, a$b, DO $$): sqlglot reads a tag from it up to the next `$`, and its line
        # count depends on where that is. Only files whose every `$` is in a swapped body qualify.
        return sg.tokenize(text)
    tokens = sg.tokenize("".join(parts))
    for start, end, tag in bodies:
        index = bisect_left(tokens, start, key=_start)
        token = tokens[index] if index < len(tokens) else None
        if (
            token is None
            or token.token_type != TokenType.STRING
            or token.start != start
            or token.end != end
            or len(token.text) != end - start - 1  # a string literal, not a command's swallowed rest
        ):
            return sg.tokenize(text)  # the text is not what the scan took it for: no shortcut
        body = text[start + len(tag) : end - len(tag) + 1]
        tokens[index] = Token(
            TokenType.HEREDOC_STRING, body, token.line, token.col, start, end, token.comments
        )
    return tokens


def _blank(text: str) -> str:
    """Spaces in place of every character but line breaks (a line at a time: a regex per character
    costs more than the tokenizing it saves)."""
    return "\n".join(" " * len(line) for line in text.split("\n"))


def _start(token: Token) -> int:
    return token.start


def _create_bodies(text: str) -> list[tuple[int, int, str]]:
    """(first, last offset, tag) of each dollar-quoted literal in a CREATE statement."""
    found: list[tuple[int, int, str]] = []
    statement_start = 0
    position = 0
    while (match := _LEXEME.search(text, position)) is not None:
        lexeme = match.group()
        position = match.end()
        if lexeme.startswith("--"):
            continue
        if lexeme == ";":
            statement_start = position
        elif lexeme == "/*":
            close = text.find("*/", position)
            if close == -1:
                break
            position = close + 2
        elif lexeme in ("'", '"'):
            close = text.find(lexeme, position)
            while close != -1 and text.startswith(lexeme, close + 1):  # '' and "" are escapes
                close = text.find(lexeme, close + 2)
            if close == -1:
                break
            position = close + 1
        else:  # $tag$
            close = text.find(lexeme, position)
            if close == -1:
                break
            end = close + len(lexeme) - 1
            body = text[position:close]
            first = _FIRST_WORD.match(text, statement_start)
            if (
                first is not None
                and first.group(1).upper() == "CREATE"
                and body.count("\r") == body.count("\r\n")  # a lone CR counts as a line break to sqlglot
            ):
                found.append((match.start(), end, lexeme))
            position = end + 1
    return found


# Tokens a row of plain literals is made of.
_LITERALS = {TokenType.STRING, TokenType.NUMBER, TokenType.NULL, TokenType.TRUE, TokenType.FALSE}


def parse_input(tokens: list[Token]) -> list[Token]:
    """The tokens to parse: an INSERT of literal rows stops after its first row (see above)."""
    if not ENABLED or len(tokens) < 16 or tokens[0].token_type != TokenType.INSERT:
        return tokens
    values = next((i for i, t in enumerate(tokens) if t.token_type == TokenType.VALUES), None)
    if values is None:
        return tokens
    first_row_end = _literal_rows(tokens, values + 1)
    return tokens[: first_row_end + 1] if first_row_end is not None else tokens


def _literal_rows(tokens: list[Token], i: int) -> int | None:
    """Index of the `)` closing the first row when everything from `i` on is `(lit, ...), (lit, ...)`
    with at least two rows; None for any other shape (expressions, ON CONFLICT, RETURNING...)."""
    first_row_end = None
    n = len(tokens)
    while True:
        if i >= n or tokens[i].token_type != TokenType.L_PAREN:
            return None
        i += 1
        while True:  # literal (, literal)*
            if i < n and tokens[i].token_type == TokenType.DASH:
                i += 1
                if i >= n or tokens[i].token_type != TokenType.NUMBER:
                    return None
            if i >= n or tokens[i].token_type not in _LITERALS:
                return None
            i += 1
            if i < n and tokens[i].token_type == TokenType.COMMA:
                i += 1
                continue
            break
        if i >= n or tokens[i].token_type != TokenType.R_PAREN:
            return None
        if first_row_end is None:
            first_row_end = i
        i += 1
        if i == n:
            return first_row_end if first_row_end != i - 1 else None
        if tokens[i].token_type != TokenType.COMMA:
            return None
        i += 1
