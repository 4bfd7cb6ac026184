"""`releasesafe compat --base REF`: does the previous release still work after this release's migrations?"""

from __future__ import annotations

from pathlib import Path

import click

from pytest_releasesafe.verify.compat.report import FORMATS


@click.command()
@click.option(
    "--base",
    "base_ref",
    required=True,
    metavar="REF",
    help="Tag, branch or commit of the release running now.",
)
@click.option(
    "--database",
    default=None,
    metavar="SETTING",
    help="postgresql, postgresql:16, mysql, mariadb or a URL "
    "(default: [tool.releasesafe] database, else postgresql).",
)
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--project",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The project directory (holding pyproject.toml and the Alembic config), inside its git checkout.",
)
def compat(base_ref: str, database: str | None, output_format: str, project: Path) -> None:
    """Check that the code of release REF keeps working on the schema this tree's migrations build.

    Exit 0: compatible. 1: the old code breaks. 2: the check could not run (bad input).
    """
    from pytest_releasesafe.verify.compat.breaks import first_line
    from pytest_releasesafe.verify.compat.errors import CompatError
    from pytest_releasesafe.verify.compat.service import check_compat

    try:
        report = check_compat(project, base_ref, database)
    except CompatError as error:
        click.echo(f"releasesafe compat: error: {error}", err=True)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        # Not a verdict: say so (the worktree and databases were removed on the way out).
        click.echo("releasesafe compat: interrupted", err=True)
        raise SystemExit(2) from None
    except Exception as error:  # noqa: BLE001 - a database or environment failure: say it, exit 2
        click.echo(f"releasesafe compat: error: {type(error).__name__}: {first_line(error)}", err=True)
        raise SystemExit(2) from None
    from pytest_releasesafe.verify.compat.report import render

    click.echo(render(report, output_format), nl=False)
    raise SystemExit(0 if report.compatible else 1)
