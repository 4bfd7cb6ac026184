"""The SQL pre-parse shortcuts change speed only: same tokens, same syntax trees, same findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_helpers import load_realistic_corpus
from sqlglot.tokens import Token, TokenType

from pytest_releasesafe.config import Config
from pytest_releasesafe.engine import lint
from pytest_releasesafe.frontends import sql_prefilter, sql_tokens
from pytest_releasesafe.frontends.sql import sqlglot_dialect

BODY = "\n".join(f"    UPDATE t SET n = n + {i} WHERE id = NEW.id AND s = 'it''s';" for i in range(12))

# Shapes that could fool a text scan: every one must give the tokenizer's own tokens.
TRICKY = {
    "plain": f"CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{BODY}\nEND\n$$;\n",
    "tagged, nested": f"CREATE OR REPLACE FUNCTION s.f() RETURNS int AS $body$\n{BODY}\n-- $$ inside $$\n$body$ LANGUAGE plpgsql;",
    "in a comment": f"-- CREATE FUNCTION f() AS $$ {BODY.replace(chr(10), ' ')} $$;\nALTER TABLE t ADD COLUMN c int;",
    "in a block comment": f"/* CREATE FUNCTION f() AS $$ {BODY} $$; */ CREATE FUNCTION g() AS $$\n{BODY}\n$$ LANGUAGE sql;",
    "in a string": f"COMMENT ON TABLE t IS 'CREATE FUNCTION f() AS $$ {BODY.replace(chr(39), '')} $$';",
    "escaped string": f"SELECT E'\\' $$'; CREATE FUNCTION f() AS $$\n{BODY}\n$$ LANGUAGE sql;",
    "DO block": f"DO $$\nBEGIN\n{BODY}\nEND\n$$;",
    "CRLF": f"CREATE FUNCTION f() AS $$\r\n{BODY.replace(chr(10), chr(13) + chr(10))}\r\n$$ LANGUAGE sql;\r\nDROP TABLE x;",
    "lone CR": f"CREATE FUNCTION f() AS $$\r{BODY}\r$$ LANGUAGE sql;\nDROP TABLE x;",
    "dollar in a name": f"CREATE TABLE a$b$ (id int); CREATE FUNCTION f() AS $b$\n{BODY}\n$b$ LANGUAGE sql;",
    "parameters": f"PREPARE p AS SELECT $1, $2; CREATE FUNCTION f() AS $$\n{BODY}\n$$ LANGUAGE sql;",
    "unterminated": f"CREATE FUNCTION f() AS $$\n{BODY}\n",
    "seed data": "INSERT INTO language (id, code, name) VALUES\n"
    + ",\n".join(f"    ({i}, 'c{i}', 'Name {i}')" for i in range(40))
    + ";\nALTER TABLE language ADD COLUMN c int NOT NULL;",
    "comment after body": f"CREATE FUNCTION f() AS $$\n{BODY}\n$$ -- trailing\nLANGUAGE sql; -- done\n",
}


def _token_facts(tokens: list[Token]) -> list[tuple]:
    return [(t.token_type, t.text, t.line, t.col, t.start, t.end, list(t.comments)) for t in tokens]


def _tokenize_both(text: str) -> tuple[list[tuple] | Exception, list[tuple] | Exception]:
    sg = sqlglot_dialect("postgresql")
    results = []
    for tokenize in (lambda: sql_prefilter.tokenize(sg, text, "postgresql"), lambda: sg.tokenize(text)):
        try:
            results.append(_token_facts(tokenize()))
        except Exception as error:  # an unterminated body must fail the same way
            results.append(type(error))
    return results[0], results[1]


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_dollar_body_shortcut_gives_the_tokenizers_own_tokens(name: str) -> None:
    fast, full = _tokenize_both(TRICKY[name])
    assert fast == full


class _RecordingTokenizer:
    def __init__(self) -> None:
        self.texts: list[str] = []
        self.sg = sqlglot_dialect("postgresql")

    def tokenize(self, text: str) -> list[Token]:
        self.texts.append(text)
        return self.sg.tokenize(text)


@pytest.mark.parametrize(
    ("name", "swapped"),
    [("plain", True), ("tagged, nested", True), ("CRLF", True), ("DO block", False), ("parameters", False)],
)
def test_dollar_body_shortcut_is_taken_only_where_it_is_exact(name: str, swapped: bool) -> None:
    recorder = _RecordingTokenizer()
    sql_prefilter.tokenize(recorder, TRICKY[name], "postgresql")
    assert (recorder.texts != [TRICKY[name]]) == swapped
    assert len(recorder.texts) == 1  # no second pass: the scan read the text right


def test_seed_insert_is_parsed_up_to_its_first_row_only_when_all_rows_are_literals() -> None:
    sg = sqlglot_dialect("postgresql")
    rows = ", ".join(f"({i}, 'n{i}', NULL, -{i}, TRUE)" for i in range(50))
    shortened = {
        "literal rows": (f"INSERT INTO s.t (a, b, c, d, e) VALUES {rows}", True),
        "on conflict": (f"INSERT INTO t VALUES {rows} ON CONFLICT DO NOTHING", False),
        "expression row": (f"INSERT INTO t VALUES {rows}, (now(), 'x', 1, 2, 3)", False),
        "one row": ("INSERT INTO t (a, b, c, d, e, f, g) VALUES (1, 2, 3, 4, 5, 6, 7)", False),
        "malformed row": (f"INSERT INTO t VALUES {rows}, (1 2)", False),
    }
    for name, (sql, expected) in shortened.items():
        tokens = sg.tokenize(sql)
        given = sql_prefilter.parse_input(tokens)
        assert (given is not tokens) == expected, name
        if expected:
            short, full = sg.parse(given, sql)[0], sg.parse(tokens, sql)[0]
            assert short.this == full.this  # same table and column list
            assert type(short.expression) is type(full.expression)


def _findings(paths: list[str], root: Path, monkeypatch: pytest.MonkeyPatch, enabled: bool) -> list[dict]:
    monkeypatch.setattr(sql_prefilter, "ENABLED", enabled)
    result = lint(paths, Config(cache=False, root=root))
    return [f.to_dict() for f in result.findings]


def test_realistic_history_has_identical_findings_with_the_shortcuts_on_and_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = load_realistic_corpus()
    files = corpus.write_diesel_corpus(tmp_path / "diesel", migrations=70, seed=23)
    for name, text in TRICKY.items():
        (tmp_path / f"tricky_{name.replace(' ', '_').replace(',', '')}.sql").write_text(text, newline="")
    paths = [str(tmp_path)]
    with_shortcuts = _findings(paths, tmp_path, monkeypatch, True)
    without = _findings(paths, tmp_path, monkeypatch, False)
    assert with_shortcuts == without
    assert len(with_shortcuts) > 50  # a history with real findings, not an empty comparison
    # ...and the shortcuts were really taken on that history.
    monkeypatch.setattr(sql_prefilter, "ENABLED", True)
    texts = [p.read_text() for p in files] + [t for k, t in TRICKY.items() if k != "unterminated"]
    assert sum(len(sql_prefilter._create_bodies(t)) for t in texts) > 20
    sg = sqlglot_dialect("postgresql")
    statements = [
        s
        for t in texts
        for s in sql_tokens.split_top_level(sg.tokenize(t), TokenType.SEMICOLON, in_parentheses=True)
    ]
    assert any(sql_prefilter.parse_input(s) is not s for s in statements)
