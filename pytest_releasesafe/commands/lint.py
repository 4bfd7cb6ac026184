"""`releasesafe lint`: the release-safety linter."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import click

from pytest_releasesafe import config as config_module
from pytest_releasesafe.engine import LintError
from pytest_releasesafe.engine import lint as run_lint
from pytest_releasesafe.report import FORMATS, render


def _codes(values: tuple[str, ...]) -> tuple[str, ...] | None:
    codes = tuple(code.strip() for value in values for code in value.split(",") if code.strip())
    return codes or None


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the report to a file instead of stdout.",
)
@click.option(
    "--dialect",
    type=click.Choice(config_module.DIALECTS),
    help="Database dialect (default from config: postgresql).",
)
@click.option("--target-version", help="Server version you deploy to, e.g. 15 (Postgres) or 8.0 (MySQL).")
@click.option(
    "--diff", "diff_base", metavar="BASE", help="Only lint migrations added or changed since this git ref."
)
@click.option(
    "--select", multiple=True, help="Only these rules (codes, code prefixes or names; comma-separated)."
)
@click.option(
    "--ignore", multiple=True, help="Skip these rules (codes, code prefixes or names; comma-separated)."
)
@click.option("--downgrade/--no-downgrade", default=None, help="Also judge downgrade() bodies.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    help="Lowest severity that fails the run (default: warning).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False),
    help="pyproject.toml to read [tool.releasesafe] from.",
)
@click.option("--no-cache", is_flag=True, help="Do not read or write the content-hash cache.")
@click.option(
    "--fix", is_flag=True, help="Apply the mechanical fixes for fixable rules (see `releasesafe rules`)."
)
@click.option(
    "--show-fixes",
    is_flag=True,
    help="Print the fixes --fix would make as a unified diff (exit 1 if any); change nothing.",
)
@click.option(
    "--trace",
    "trace_file",
    type=click.Path(exists=True, dir_okay=False),
    help="A `releasesafe trace --format json` report: also report where it disagrees with the static verdict.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported.")
def lint(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    dialect: str | None,
    target_version: str | None,
    diff_base: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    downgrade: bool | None,
    fail_on: str | None,
    config_file: str | None,
    no_cache: bool,
    fix: bool,
    show_fixes: bool,
    trace_file: str | None,
    exit_zero: bool,
) -> None:
    """Lint Alembic migrations and SQL files for unsafe release operations.

    PATHS are files or folders (default: the current folder). Alembic revision files are found by
    their content; .sql files are linted as SQL. Nothing is imported or executed.
    """
    paths = paths or (".",)
    # Parsing allocates millions of short-lived objects (tokens, syntax trees) and few cycles; at
    # the default threshold the collector ran ~150 times a run (15% of a cold run's time).
    gc.set_threshold(10_000, 20, 20)
    try:
        first = Path(paths[0])
        config = config_module.load(
            first if first.exists() else Path.cwd(), Path(config_file) if config_file else None
        )
        config = config_module.with_overrides(
            config,
            dialect=dialect,
            target_version=config_module.parse_version(target_version) if target_version else None,
            select=_codes(select),
            ignore=(config.ignore + _codes(ignore)) if _codes(ignore) else None,
            downgrade=downgrade,
            fail_on=fail_on,
            cache=False if no_cache or fix or show_fixes else None,
        )
        if show_fixes:
            from pytest_releasesafe.fixes import apply_fixes

            changes = False
            for line in apply_fixes(paths, config, write=False, diff_base=diff_base):
                changes = changes or line.startswith("+++ ")
                click.echo(line)
            sys.exit(1 if changes and not exit_zero else 0)  # like `ruff format --diff`: 1 = fixes pending
        if fix:
            from pytest_releasesafe.fixes import apply_fixes

            for line in apply_fixes(paths, config, diff_base=diff_base):
                click.echo(line, err=True)
        result = run_lint(paths, config, diff_base=diff_base)
        findings = result.findings
        if trace_file:
            findings = findings + _trace_disagreements(findings, Path(trace_file))
    except (config_module.ConfigError, LintError) as error:
        raise click.UsageError(str(error)) from error
    # Code frames for people at a terminal, in colour unless NO_COLOR (no-color.org) is set.
    frames = fmt == "text" and output is None and sys.stdout.isatty()
    color = frames and not os.environ.get("NO_COLOR")
    report = render(findings, fmt, color=color, frames=frames, files_checked=result.files_checked)
    if output:
        Path(output).write_text(report, encoding="utf-8")
    else:
        click.echo(report, nl=False)
    if not exit_zero and result.failed(config.fail_on):
        sys.exit(1)


def _trace_disagreements(findings: list, trace_file: Path) -> list:
    import json

    from pytest_releasesafe.findings import Finding

    try:
        trace = json.loads(trace_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise LintError(f"{trace_file}: not a JSON trace report ({error})") from error
    try:
        from pytest_releasesafe.verify.trace.compare import disagreements
    except ImportError as error:
        raise LintError(f"--trace needs the trace module: {error}") from error
    known = {
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "rule",
        "name",
        "severity",
        "message",
        "help",
    }
    return [
        Finding(**{k: v for k, v in d.items() if k in known})
        for d in disagreements([f.to_dict() for f in findings], trace)
    ]
