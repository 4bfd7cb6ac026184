"""The quick spelling of expressions agrees with `ast.unparse` wherever it answers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from lint_helpers import load_realistic_corpus

from pytest_releasesafe.frontends import fast_unparse

ROOT = Path(__file__).resolve().parents[2]

SHAPES = [
    "sa.String(length=255)",
    "postgresql.JSONB(astext_type=sa.Text())",
    "sa.Numeric(precision=12, scale=2, asdecimal=False)",
    "sa.Enum('a', 'b', name='kind', create_type=None)",
    'sa.String("it\'s")',
    "sa.String('a\\\\b')",
    "sa.Float(1.5)",
    "sa.Integer(-1)",
    "(1).real",
    "f(*args)",
    "f(**options)",
    "sa.String(length=n + 1)",
    "x[0].y",
    "sa.Text(collation='und-x-icu\\n')",
    "sa.Boolean(create_constraint=True, name=None)",
    "op.create_index('ix_a', 'accounts', ['status', 'id'], postgresql_concurrently=True)",
    "op.create_index('ix_a', 'accounts', [])",
    "op.create_index('ix_a', 'accounts', [sa.text('lower(name)'), 'id'])",
    "op.create_index('ix_a', 'accounts', [*columns])",
    "op.create_index('ix_a', 'accounts', [('a', 'b')])",
    "op.create_index('ix_a', 'accounts', [\"it's\"])",
]


def _realistic_alembic_sources(tmp_path: Path) -> list[str]:
    module = load_realistic_corpus()
    files = module.write_alembic_history(tmp_path, revisions=12, seed=9)
    examples = sorted((ROOT / "examples").rglob("versions/*.py"))
    return [p.read_text() for p in [*files, *examples]]


@pytest.mark.parametrize("source", SHAPES)
def test_quick_spelling_is_unparse_or_defers_to_it(source: str) -> None:
    node = ast.parse(source, mode="eval").body
    assert fast_unparse.unparse(node) == ast.unparse(node)


def test_quick_spelling_answers_the_common_column_types_itself() -> None:
    assert (
        fast_unparse._simple(ast.parse("sa.String(length=255)", mode="eval").body) == "sa.String(length=255)"
    )
    assert fast_unparse._simple(ast.parse("sa.Float(1.5)", mode="eval").body) is None  # left to unparse
    # the call_source of every op.create_index(...) with its column list
    call = "op.create_index('ix_a', 'accounts', ['status'], unique=True)"
    assert fast_unparse._simple(ast.parse(call, mode="eval").body) == call


def test_every_expression_of_real_shaped_revisions_is_spelled_as_unparse_does(tmp_path: Path) -> None:
    answered = 0
    for text in _realistic_alembic_sources(tmp_path):
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.Call, ast.Attribute, ast.Name, ast.Constant, ast.List)):
                quick = fast_unparse._simple(node)
                if quick is not None:
                    answered += 1
                    assert quick == ast.unparse(node)
    assert answered > 300
