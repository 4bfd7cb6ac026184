"""Lint snippets the way users do: real files on disk through the real engine."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path
from types import ModuleType

from pytest_releasesafe.config import Config
from pytest_releasesafe.engine import LintResult, lint
from pytest_releasesafe.findings import Finding

ALEMBIC_HEADER = '''"""example revision"""
from alembic import op
import sqlalchemy as sa

revision = "abc123"
down_revision = None

'''


REVISION = '''"""{doc}"""
from alembic import op
import sqlalchemy as sa

revision = "{rev}"
down_revision = {down}


def upgrade():
{upgrade}


def downgrade():
{downgrade}
'''


def write_revision(
    versions: Path, rev: str, down: str | None, body: str, downgrade: str = "pass", doc: str = "revision"
) -> Path:
    """`versions/<rev>_migration.py`: `body` and `downgrade` are the function bodies (dedented)."""
    versions.mkdir(parents=True, exist_ok=True)
    path = versions / f"{rev}_migration.py"

    def indent(code: str) -> str:
        return textwrap.indent(textwrap.dedent(code).strip(), "    ")

    text = REVISION.format(
        doc=doc, rev=rev, down=repr(down), upgrade=indent(body), downgrade=indent(downgrade)
    )
    path.write_text(text, encoding="utf-8")
    return path


FILE_MARKER = re.compile(r"^# file: (\S+\.py)\s*$", re.M)


def alembic_source(code: str) -> str:
    code = textwrap.dedent(code)
    if "down_revision" in code:
        return code
    if "def downgrade" not in code:
        code += "\n\ndef downgrade():\n    pass\n"
    return ALEMBIC_HEADER + code


def lint_snippet(tmp_path: Path, code: str, form: str, **config: object) -> list[Finding]:
    """Write a snippet as a migration file and lint it; `form` is "alembic" or "sql"."""
    if form == "alembic" and FILE_MARKER.search(code):
        # A history example: several revision files, each introduced by a `# file: NAME.py` line.
        versions = tmp_path / "versions"
        versions.mkdir(parents=True, exist_ok=True)
        parts = FILE_MARKER.split(textwrap.dedent(code))[1:]
        for name, body in zip(parts[::2], parts[1::2], strict=True):
            (versions / name).write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
        settings = {"cache": False, "root": tmp_path, **config}
        return lint([str(versions)], Config(**settings)).findings  # type: ignore[arg-type]
    if form == "alembic":
        path = tmp_path / "versions" / "abc123_example.py"
        text = alembic_source(code)
    else:
        path = tmp_path / "migration.sql"
        text = textwrap.dedent(code)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    # A snippet is judged alone: `<tmp>/migration.sql` is Prisma's layout, whose history would be
    # every other test's `<tmp>/migration.sql` beside it.
    settings = {"cache": False, "root": tmp_path, "whole_history": False, **config}
    return lint([str(path)], Config(**settings)).findings  # type: ignore[arg-type]


def codes(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


def load_realistic_corpus() -> ModuleType:
    """benchmarks/realistic_corpus.py, the generators of real-shaped histories (not a package: loaded by path)."""
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "realistic_corpus.py"
    spec = importlib.util.spec_from_file_location("realistic_corpus", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["realistic_corpus"] = module
    spec.loader.exec_module(module)
    return module


def lint_in(root: Path, paths: list[str], **settings: object) -> LintResult:
    """Lint `paths` from `root`, as a user in that folder does (displayed paths are relative to it)."""
    here = os.getcwd()
    os.chdir(root)
    try:
        return lint(paths, Config(root=root, **settings))  # type: ignore[arg-type]
    finally:
        os.chdir(here)


def verdicts(result: LintResult) -> list[tuple[str, int, str, str]]:
    return [(f.path, f.line, f.rule, f.message) for f in result.findings]
