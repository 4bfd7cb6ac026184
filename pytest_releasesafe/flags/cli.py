"""`releasesafe flags scan|remove`."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from .config import ConfigError, FlagsConfig, find_pyproject, load_config
from .rules import RULES

FORMATS = ("text", "json", "github", "sarif", "gitlab", "markdown")


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(f"expected a date like 2026-06-01, got {value!r}") from error


def _config(config_path: Path | None, paths: tuple[Path, ...]) -> FlagsConfig:
    pyproject = config_path or find_pyproject(paths[0] if paths else Path.cwd())
    try:
        return load_config(pyproject)
    except ConfigError as error:
        raise click.UsageError(str(error)) from error


def render_findings(findings: list, fmt: str) -> str:
    try:
        from ..report import RuleMeta, render
    except ImportError:  # interim until the shared report package lands
        return json.dumps([item.to_dict() for item in findings], indent=2)

    rules = {
        rule.code: RuleMeta(code=rule.code, name=rule.name, summary=rule.summary, severity=rule.severity)
        for rule in RULES.values()
    }
    return render(findings, fmt, rules=rules)


@click.group()
def flags() -> None:
    """Find stale feature flags and remove them from Python code."""


@flags.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--inventory",
    "inventories",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML inventory or OpenFeature/flagd JSON (repeatable). Default: `inventory` in [tool.releasesafe.flags].",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--today", callback=_date, help="Judge staleness as of this date (YYYY-MM-DD), for reproducible runs."
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="pyproject.toml to read [tool.releasesafe.flags] from (default: nearest one).",
)
@click.option(
    "--references-only",
    is_flag=True,
    help="Report only code lines: unknown flags and new checks of stale flags (for pre-commit on changed files).",
)
def scan(
    paths: tuple[Path, ...],
    inventories: tuple[Path, ...],
    fmt: str,
    today: dt.date,
    config_path: Path | None,
    references_only: bool,
) -> None:
    """Report flag checks that are stale, unknown or unused. Exit 1 when there are findings."""
    from .scan import scan as run_scan

    config = _config(config_path, paths)
    result = run_scan(
        list(paths) or [Path.cwd()],
        config,
        list(inventories) or list(config.inventories),
        today,
        references_only=references_only,
    )
    output = render_findings(result.findings, fmt)
    if output:
        click.echo(output.rstrip("\n"))
    if fmt == "text":
        click.echo(
            f"{result.files_seen} files, {result.files_parsed} parsed, {len(result.references)} flag checks, "
            f"{len(result.findings)} findings",
            err=True,
        )
    sys.exit(1 if result.findings else 0)
