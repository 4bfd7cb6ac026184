"""Cut a huge Postgres .sql file into pieces, so memory and time stay bounded.

Tokenizing a 50 MB dump at once holds millions of token objects (gigabytes); parsing its bulk
INSERTs with sqlglot costs minutes while a rule only needs "an INSERT into t". So a large file is
scanned once at the text level (string literals, quoted names, comments and dollar-quoted bodies
skipped, as the tokenizer would) and yields:

- runs of ordinary statements, cut at a statement end followed by a line break, about
  `CHUNK_BYTES` each, tokenized and parsed one run at a time;
- `INSERT INTO name [(columns)] VALUES ...` statements, whose operation needs only the head.

Small files never come here: their handling is exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

CHUNKED_BYTES = 1024 * 1024  # files larger than this are read piece by piece
CHUNK_BYTES = 256 * 1024

# What can hide a semicolon, in the order the tokenizer sees them; `;` itself ends a statement.
_SKIP = re.compile(
    r"""
      (?P<semicolon>;)
    | [eE]'(?:[^'\\]|\\.|'')*'?          # E'...' with backslash escapes
    | '(?:[^']|'')*'?                    # standard string ('' is a quote)
    | "(?:[^"]|"")*"?                    # quoted identifier
    | --[^\n]*                           # line comment
    | /\*.*?(?:\*/|\Z)                   # block comment
    | \$(?P<tag>[A-Za-z_][A-Za-z_0-9]*)?\$  # dollar quote opener; the body is skipped below
    """,
    re.VERBOSE | re.DOTALL,
)
_INTERESTING = re.compile(r"""[;'"$]|--|/\*""")
_NAME = r'(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z_0-9$]*)'
_BULK_INSERT = re.compile(
    r"(?:\s+|--[^\n]*|/\*.*?\*/)*(?P<insert>INSERT)\s+INTO\s+"
    rf"(?P<name>{_NAME}(?:\s*\.\s*{_NAME})*)\s*(?:\([^()]*\)\s*)?VALUES\b",
    re.IGNORECASE | re.DOTALL,
)
_LIMIT = re.compile(r"\bLIMIT\b", re.IGNORECASE)


@dataclass(frozen=True)
class Piece:
    start: int  # offset in the file text
    end: int  # exclusive (a bulk INSERT's ends before its `;`)
    bulk_table: str | None = None  # set: a bulk INSERT into this table (possibly schema-qualified)
    batched: bool = False


def statement_ends(text: str) -> Iterator[int]:
    """Offsets just past each top-level `;`."""
    position = 0
    length = len(text)
    while position < length:
        found = _INTERESTING.search(text, position)
        if found is None:
            return
        match = _SKIP.match(text, found.start())
        if match is None:  # a lone `$` (a parameter such as $1): not a quote
            position = found.start() + 1
            continue
        if match.group("semicolon"):
            position = match.end()
            yield position
            continue
        if match.group().startswith("$"):
            if text[match.start() - 1 : match.start()].isalnum() or (
                match.group("tag") is None and text[match.start() - 1 : match.start()] == "$"
            ):
                position = match.end() - 1  # `a$b$`: part of a name, not a quote
                continue
            close = text.find(match.group(), match.end())
            position = length if close < 0 else close + len(match.group())
            continue
        position = match.end()


def pieces(text: str) -> Iterator[Piece]:
    """The file as pieces in order; together they cover the whole text."""
    run_start = 0
    previous = 0
    for end in statement_ends(text):
        head = _BULK_INSERT.match(text, previous, min(end, previous + 4096))
        if head is not None:
            if previous > run_start:
                yield Piece(run_start, previous)
            statement = text[head.end() : end]
            start, stop = head.start("insert"), end - 1  # the statement without its `;`, like a token run
            while stop > start and text[stop - 1].isspace():
                stop -= 1
            yield Piece(start, stop, _plain_name(head.group("name")), bool(_LIMIT.search(statement)))
            run_start = end
        elif end - run_start >= CHUNK_BYTES:
            cut = _line_end(text, end)
            if cut is not None:
                yield Piece(run_start, cut)
                run_start = cut
        previous = end
    if run_start < len(text):
        yield Piece(run_start, len(text))


def _line_end(text: str, end: int) -> int | None:
    """Just past the line break after `end`, if only blanks come between: runs start on a new line,
    so columns stay right."""
    newline = text.find("\n", end)
    if newline < 0 or text[end:newline].strip():
        return None
    return newline + 1


def _plain_name(name: str) -> str:
    return ".".join(part.strip().strip('"').replace('""', '"') for part in re.split(r"\s*\.\s*", name))
