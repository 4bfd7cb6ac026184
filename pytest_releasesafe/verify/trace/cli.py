"""`releasesafe trace`: run the Alembic upgrade on a fresh Postgres and report what every statement locks."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from pytest_releasesafe.commands.common import (
    exit_zero_option,
    fail_on_option,
    failed,
    output_option,
    write_report,
)
from pytest_releasesafe.verify.trace.report import FORMATS, render
from pytest_releasesafe.verify.trace.runner import (
    DEFAULT_ROWS,
    AlembicProject,
    TraceSetupError,
    trace_migrations,
)


def _progress_line() -> Callable[[int, int, str], None] | None:
    """On a terminal, one self-updating line on stderr (a trace seeds and runs every revision, which
    takes a while); nothing when stderr is a file or a pipe, so logs and reports stay clean."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, revision: str) -> None:
        if done < total:
            click.echo(f"\r\x1b[Ktracing revision {done + 1}/{total}: {revision}", err=True, nl=False)
        else:
            click.echo(f"\r\x1b[Ktraced {total} revision{'s' if total != 1 else ''}", err=True)

    return show


@click.command()
@click.option(
    "--alembic-config",
    "-c",
    default="alembic.ini",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The project's Alembic config file.",
)
@click.option(
    "--database",
    default="postgresql",
    show_default=True,
    help='"postgresql" (find or start a server) or a postgresql:// URL; a fresh database is made on it.',
)
@click.option(
    "--rows",
    default=DEFAULT_ROWS,
    show_default=True,
    type=click.IntRange(min=0),
    help="Generated rows seeded into every table before each revision that finds it.",
)
@click.option("--from", "from_rev", default=None, help="Apply up to this revision untraced (default: base).")
@click.option("--to", "to_rev", default="heads", show_default=True, help="Trace up to this revision.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True)
@output_option
@exit_zero_option
@fail_on_option("error: a blocking lock or a failed migration")
def trace(
    alembic_config: Path,
    database: str,
    rows: int,
    from_rev: str | None,
    to_rev: str,
    output_format: str,
    output: str | None,
    exit_zero: bool,
    fail_on: str | None,
) -> None:
    """Trace the locks and rewrites each migration statement causes on a real PostgreSQL.

    Exits 1 when a statement takes a lock that blocks reads or writes of a table that existed
    before its revision, or when a migration fails; 2 when the trace cannot run.
    """
    from pytest_releasesafe.verify.trace.database import trace_database

    try:
        project = AlembicProject(alembic_config)
        project.revisions(from_rev, to_rev)  # a bad range is a usage error, before any server starts
        with trace_database(database) as url:
            result = trace_migrations(
                project, url, rows=rows, from_rev=from_rev, to_rev=to_rev, progress=_progress_line()
            )
    except TraceSetupError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    write_report(render(result, output_format), output)
    if output_format != "text":
        # The text report carries these itself; other formats keep stdout machine-readable.
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        if result.failure is not None:
            failure = result.failure
            click.echo(f"error: revision {failure.revision} failed: {failure.message}", err=True)
    # A blocking lock or a failed migration is an error; a seeding warning is a warning.
    severities = ([] if result.ok else ["error"]) + ["warning"] * len(result.warnings)
    sys.exit(1 if not exit_zero and failed(severities, fail_on or "error") else 0)
