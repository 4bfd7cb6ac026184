"""`releasesafe lint`: the release-safety linter."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import click

from pytest_releasesafe import config as config_module
from pytest_releasesafe.commands.common import write_report
from pytest_releasesafe.engine import INTERNAL_ERROR, LintError
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
    "--schema",
    "schema_file",
    metavar="FILE",
    help="A schema dump (pg_dump -s, mysqldump --no-data) the history starts from, for squashed histories.",
)
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
    "--whole-history/--no-whole-history",
    default=None,
    help="Judge a file given alone against the schema its whole history (the other migrations beside it) "
    "builds; findings are still reported only for the files given (default: on).",
)
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
@click.option(
    "--stats",
    "stats_file",
    type=click.Path(dir_okay=False),
    help="Table sizes from `releasesafe stats`: grade findings by production size "
    "(default: releasesafe-stats.json next to pyproject.toml, if present).",
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
    schema_file: str | None,
    fail_on: str | None,
    config_file: str | None,
    no_cache: bool,
    whole_history: bool | None,
    fix: bool,
    show_fixes: bool,
    trace_file: str | None,
    stats_file: str | None,
    exit_zero: bool,
) -> None:
    """Lint Alembic migrations and SQL files for unsafe release operations.

    PATHS are files or folders (default: the current folder). Alembic revision files are found by
    their content; .sql files are linted as SQL. Nothing is imported or executed.
    """
    paths = paths or (".",)
    fixer_broke = False
    # Parsing allocates millions of short-lived objects (tokens, syntax trees) and few cycles; at
    # the default threshold the collector ran ~150 times a run (15% of a cold run's time).
    gc.set_threshold(10_000, 20, 20)
    try:
        for option, values in (("--select", select), ("--ignore", ignore)):
            _check_selectors(values, option)
        first = Path(paths[0])
        config = config_module.load(
            first if first.exists() else Path.cwd(), Path(config_file) if config_file else None
        )
        extra_ignore = _codes(ignore)
        config = config_module.with_overrides(
            config,
            dialect=dialect,
            target_version=config_module.parse_version(target_version) if target_version else None,
            select=_codes(select),
            ignore=(config.ignore + extra_ignore) if extra_ignore else None,
            downgrade=downgrade,
            schema=os.path.abspath(schema_file) if schema_file else None,
            fail_on=fail_on,
            cache=False if no_cache or fix or show_fixes else None,
            whole_history=whole_history,
        )
        if stats_file:
            config = config_module.with_stats(config, Path(stats_file).resolve())
        if show_fixes:
            from pytest_releasesafe.fixes import apply_fixes

            changes = in_diff = False
            for line in apply_fixes(paths, config, write=False, diff_base=diff_base):
                # stdout carries only the diff (to pipe into `git apply`); notes go to stderr.
                in_diff = line.startswith("--- a/") or (in_diff and line.startswith(_HUNK_LINE))
                changes = changes or line.startswith("+++ ")
                click.echo(line, err=not in_diff)
            sys.exit(1 if changes and not exit_zero else 0)  # like `ruff format --diff`: 1 = fixes pending
        if fix:
            from pytest_releasesafe.fixes import FixSummary, apply_fixes

            fixes = FixSummary()
            for line in apply_fixes(paths, config, diff_base=diff_base, summary=fixes):
                click.echo(line, err=True)
            fixer_broke = fixes.failed > 0
        result = run_lint(paths, config, diff_base=diff_base)
        for note in result.notes:
            click.echo(note, err=True)
        findings = result.findings
        if trace_file and _trace_rule_selected(config):
            findings = findings + _trace_disagreements(findings, Path(trace_file))
    except (config_module.ConfigError, LintError) as error:
        raise click.UsageError(str(error)) from error
    except Exception as error:  # noqa: BLE001 - the last line of defence: a message and exit 2, no traceback
        from pytest_releasesafe.containment import describe

        click.echo(f"releasesafe: internal error: {describe(error)} (please report it)", err=True)
        sys.exit(2)
    # Code frames for people at a terminal (or who force colour), coloured per NO_COLOR / FORCE_COLOR.
    from pytest_releasesafe.commands.terminal import wants_color

    color = fmt == "text" and output is None and wants_color(sys.stdout.isatty())
    frames = color or (fmt == "text" and output is None and sys.stdout.isatty())
    report = render(findings, fmt, color=color, frames=frames, files_checked=result.files_checked)
    write_report(report, output, color=color)  # click strips colour off a terminal unless told
    if fixer_broke and not result.broke:
        sys.exit(2)  # the fixer failed on a file (reported above): the tool broke, not the migrations
    if result.broke:
        # The report is complete, but the linter failed on some file: "tool broke" is not "findings",
        # and --exit-zero (which accepts findings) must not hide it.
        broken = len({f.path for f in findings if f.rule == INTERNAL_ERROR})
        click.echo(
            f"releasesafe: internal error on {broken} file{'s' if broken != 1 else ''} "
            f"({INTERNAL_ERROR} in the report); those files were not fully checked",
            err=True,
        )
        sys.exit(2)
    if not exit_zero and result.failed(config.fail_on):
        sys.exit(1)


def _trace_rule_selected(config: config_module.Config) -> bool:
    from pytest_releasesafe.selectors import matches

    code, name = "RS900", "trace-disagreement"
    selected = not config.select or any(matches(s, code, name) for s in config.select)
    return selected and not any(matches(s, code, name) for s in config.ignore)


_HUNK_LINE = ("+++ ", "@@", " ", "+", "-", "\\")


def _check_selectors(values: tuple[str, ...], option: str) -> None:
    from pytest_releasesafe.selectors import SelectorError, validate

    try:
        validate(_codes(values) or (), option)
    except SelectorError as error:
        raise config_module.ConfigError(str(error)) from error


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
