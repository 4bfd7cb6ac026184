"""`releasesafe stats`: snapshot production table sizes for size-graded lint findings."""

from __future__ import annotations

import click

from pytest_releasesafe.sizes.stats_file import DEFAULT_NAME


class StatsError(click.ClickException):
    exit_code = 2  # a problem with the run itself, as for `releasesafe lint`


@click.command()
@click.option(
    "--url",
    envvar="RELEASESAFE_STATS_URL",
    required=True,
    help="Database URL (postgresql://… or mysql://…); a read-only role is enough. Env: RELEASESAFE_STATS_URL.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default=DEFAULT_NAME,
    show_default=True,
    help="Where to write the statistics (commit it: `releasesafe lint` reads it from next to pyproject.toml).",
)
def stats(url: str, output: str) -> None:
    """Read table sizes (catalog statistics only, no rows) into a small JSON file for `lint`.

    Postgres: pg_class.reltuples and the table and index sizes; MySQL/MariaDB: information_schema.TABLES.
    Runs in a read-only transaction.
    """
    from pytest_releasesafe.commands.common import write_report
    from pytest_releasesafe.sizes.collect import CollectError, collect
    from pytest_releasesafe.sizes.stats_file import dump

    try:
        dialect, tables, collected_at = collect(url)
    except CollectError as error:
        raise StatsError(str(error)) from None
    write_report(dump(dialect, tables, collected_at), output)
    unknown = sum(1 for size in tables.values() if size.rows is None)
    note = f" ({unknown} never analyzed: their row counts are unknown)" if unknown else ""
    click.echo(f"{output}: {len(tables)} tables from {dialect}{note}", err=True)
