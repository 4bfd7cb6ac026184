"""One editor buffer through the linter: findings, the rule behind one, its fix, its suppression.

The buffer is linted as it is in the editor (unsaved text), with the configuration of the
pyproject.toml above the file, exactly as `releasesafe lint` would lint that file on disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pytest_releasesafe import config as config_module
from pytest_releasesafe.config import Config, ConfigError
from pytest_releasesafe.findings import Finding

LINTED_SUFFIXES = (".py", ".sql")


@dataclass(frozen=True)
class Edit:
    """Replace the whole buffer: fixes move statements into blocks, a range edit would not be simpler."""

    title: str
    new_text: str
    count: int  # findings the edit fixes


@lru_cache(maxsize=32)
def _config(pyproject: Path | None) -> Config:
    return config_module.load(pyproject.parent if pyproject else Path.cwd(), pyproject)


def config_for(path: Path) -> Config:
    """The configuration of the pyproject.toml that governs `path` (cached per project)."""
    return _config(config_module.find_pyproject(path.parent))


def reset_configuration() -> None:
    """Forget cached configurations (a pyproject.toml changed)."""
    _config.cache_clear()


def lint_buffer(path: Path, text: str) -> list[Finding]:
    """Findings for the buffer's text, judged as `releasesafe lint <file>` judges it: against the
    schema its history builds (the other migration files beside it, as saved, unless
    `whole-history = false`); a configuration error is one finding at line 1."""
    from pytest_releasesafe.engine import LintError, lint

    if not path.name.endswith(LINTED_SUFFIXES):
        return []
    try:
        config = config_for(path)
        result = lint([str(path)], config, buffers={path: text})
    except (ConfigError, LintError) as error:
        return [Finding(str(path), 1, 1, "config", "configuration", "error", f"releasesafe: {error}")]
    return sorted(result.findings)


def explain(finding: Finding) -> str:
    """Markdown for a hover: what happens in production, why, and what to write instead."""
    from pytest_releasesafe import catalogue

    rule = catalogue.load().get(finding.rule)
    parts = [f"**{finding.rule} {finding.name}** ({finding.severity})", "", finding.message]
    if rule is not None and rule.why:
        parts += ["", "**Why**", "", rule.why.strip()]
    if finding.help:
        # Rule help indents its code by four spaces: Markdown shows it as code as it is.
        parts += ["", "**Instead**", "", finding.help.rstrip()]
    return "\n".join(parts)


def fix(path: Path, text: str, findings: list[Finding]) -> Edit | None:
    """The text with `findings` fixed as `releasesafe lint --fix` would fix them, or None."""
    from pytest_releasesafe.fixes.sql_fix import FIXABLE_RULES

    fixable = [f for f in findings if f.rule in FIXABLE_RULES]
    if not fixable:
        return None
    config = config_for(path)
    if config.dialect != "postgresql":
        return None  # CONCURRENTLY and NOT VALID are Postgres fixes
    from pytest_releasesafe.fixes import fix_text

    outcome = fix_text(str(path), text, fixable, config)
    if not outcome.fixed or outcome.text == text or outcome.problem:
        return None
    codes = ", ".join(sorted({f.rule for f in fixable}))
    title = f"Fix {codes}" if len(fixable) == 1 else f"Fix all ({len(fixable)}: {codes})"
    return Edit(title, outcome.text, len(fixable))


def suppression(path: Path, text: str, finding: Finding) -> tuple[int, str]:
    """(0-based line, text to insert) for a suppression comment above the finding's line.

    The reason is left for the author to type: until they do, RS004 (suppression without a reason)
    shows on the comment, so a suppression cannot be added without saying why.
    """
    lines = text.splitlines()
    marker = "#" if path.suffix == ".py" else "--"
    if path.suffix == ".py" and _inside_multiline_string(text, finding.line):
        # A comment line there would become part of the SQL string: suppress for the file instead.
        return 0, f"{marker} releasesafe: ignore-file[{finding.rule}] \n"
    target = lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""
    indent = target[: len(target) - len(target.lstrip())]
    return finding.line - 1, f"{indent}{marker} releasesafe: ignore[{finding.rule}] \n"


def _inside_multiline_string(text: str, line: int) -> bool:
    """Whether `line` is a continuation line of a string literal spanning several lines."""
    import io
    import tokenize

    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING and token.start[0] < line <= token.end[0]:
                return True
            if token.start[0] > line:
                break
    except (tokenize.TokenError, SyntaxError):
        return False
    return False
