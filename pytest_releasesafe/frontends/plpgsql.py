"""SQL statements inside a `DO $$ ... $$` block.

Hand-written Postgres migrations wrap DDL in DO blocks to make it idempotent (`IF NOT EXISTS (...)
THEN ALTER TABLE ... ADD CONSTRAINT ...; END IF;`). The block is PL/pgSQL, which sqlglot does not
parse, but the statements in it are plain SQL: they start after `BEGIN`, `THEN`, `ELSE`, `LOOP` or a
`;`. They are found here so the rules judge them like any other statement; SQL built at run time
(`EXECUTE format(...)`) is not, and the block stays reported as not fully analysed.
"""

from __future__ import annotations

import re

_BODY = re.compile(r"\$(?P<tag>[A-Za-z_]\w*)?\$(?P<body>.*?)\$(?P=tag)?\$", re.DOTALL)
_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)
_STATEMENT = re.compile(
    r"(?:^|;|\bBEGIN\b|\bTHEN\b|\bELSE\b|\bLOOP\b)\s*"
    r"(?P<sql>(?:ALTER|CREATE|DROP|UPDATE|DELETE|INSERT|TRUNCATE|LOCK|REINDEX|VACUUM|CLUSTER|COMMENT)\b[^;]*)",
    re.IGNORECASE,
)
_DYNAMIC = re.compile(r"\bEXECUTE\b", re.IGNORECASE)


def embedded_statements(block: str) -> tuple[list[tuple[int, str]], bool]:
    """Statements in the text of a DO statement as (offset in `block`, SQL), and whether the body also
    runs SQL built at run time (EXECUTE)."""
    match = _BODY.search(block)
    if match is None:
        return [], True
    start = match.start("body")
    # Blank out comments (keeping offsets and line numbers) so a commented-out statement is not one.
    body = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), match.group("body"))
    found = [(start + m.start("sql"), m.group("sql").rstrip()) for m in _STATEMENT.finditer(body)]
    return found, bool(_DYNAMIC.search(body))
