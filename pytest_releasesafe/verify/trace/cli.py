"""`releasesafe trace`: run the Alembic upgrade on a fresh Postgres and report what every statement locks."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pytest_releasesafe.verify.trace.report import FORMATS, render
from pytest_releasesafe.verify.trace.runner import (
    DEFAULT_ROWS,
    AlembicProject,
    TraceSetupError,
    trace_migrations,
)


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
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write the report here instead of stdout.",
)
def trace(
    alembic_config: Path,
    database: str,
    rows: int,
    from_rev: str | None,
    to_rev: str,
    output_format: str,
    output: Path | None,
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
            result = trace_migrations(project, url, rows=rows, from_rev=from_rev, to_rev=to_rev)
    except TraceSetupError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    report = render(result, output_format)
    if output is None:
        click.echo(report, nl=False)
    else:
        output.write_text(report, encoding="utf-8")
    if output_format != "text":
        # The text report carries these itself; other formats keep stdout machine-readable.
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        if result.failure is not None:
            failure = result.failure
            click.echo(f"error: revision {failure.revision} failed: {failure.message}", err=True)
    sys.exit(0 if result.ok else 1)
