"""`releasesafe flags scan|remove`."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import sys
from collections.abc import Callable
from pathlib import Path

import click

from ..commands.common import exit_zero_option, fail_on_option, failed, output_option, write_report
from ..findings import Finding
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


def render_findings(findings: list[Finding], fmt: str, files_checked: int) -> str:
    from ..report import RuleMeta, render

    rules = {
        rule.code: RuleMeta(code=rule.code, name=rule.name, summary=rule.summary, severity=rule.severity)
        for rule in RULES.values()
    }
    from ..commands.terminal import wants_color

    frames = fmt == "text" and sys.stdout.isatty()
    color = fmt == "text" and wants_color(sys.stdout.isatty())
    return render(findings, fmt, rules=rules, color=color, frames=frames, files_checked=files_checked)


def _no_tracebacks(command: Callable[..., None]) -> Callable[..., None]:
    """Turn an unexpected failure into exit code 2 and one clear line, never a traceback."""

    @functools.wraps(command)
    def run(*args: object, **kwargs: object) -> None:
        try:
            command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, SystemExit, KeyboardInterrupt):
            raise
        except Exception as error:  # noqa: BLE001 - the last line of defence for users
            click.echo(f"releasesafe flags: internal error: {type(error).__name__}: {error}", err=True)
            sys.exit(2)

    return run


def _warn_if_inventory_disagrees(inventory: Path, name: str, value: str) -> None:
    """Keeping a flag `on` that the inventory says is off for everyone is most likely a typo."""
    from .inventory import InventoryError, load_inventory

    try:
        flag = load_inventory(inventory).flags.get(name)
    except InventoryError:
        return  # reported when the entry is removed
    expected = {0: "off", 100: "on"}.get(flag.rollout) if flag and flag.rollout is not None else None
    if expected is not None and expected != value:
        click.echo(
            f"warning: {inventory}:{flag.line}: '{name}' is rolled out to {flag.rollout}% "
            f"(everyone {expected}), but --value {value} keeps the other behaviour",
            err=True,
        )


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
@output_option
@exit_zero_option
@fail_on_option("info: any finding")
@_no_tracebacks
def scan(
    paths: tuple[Path, ...],
    inventories: tuple[Path, ...],
    fmt: str,
    today: dt.date,
    config_path: Path | None,
    references_only: bool,
    output: str | None = None,
    exit_zero: bool = False,
    fail_on: str | None = None,
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
    report = render_findings(result.findings, fmt, result.files_seen)
    if output:
        write_report(report, output)
    elif report:
        click.echo(report.rstrip("\n"), color=fmt == "text" and "\x1b[" in report)
    sys.exit(1 if not exit_zero and failed((f.severity for f in result.findings), fail_on or "info") else 0)


@flags.command()
@click.argument("name")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--value",
    type=click.Choice(["on", "off"]),
    required=True,
    help="The state the flag keeps for good: its checks become True (on) or False (off).",
)
@click.option("--write", is_flag=True, help="Apply the changes instead of printing a unified diff.")
@click.option(
    "--inventory",
    "inventories",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also remove the flag's entry from this YAML or flagd JSON inventory (repeatable).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="pyproject.toml to read [tool.releasesafe.flags] from (default: nearest one).",
)
@_no_tracebacks
def remove(
    name: str,
    paths: tuple[Path, ...],
    value: str,
    write: bool,
    inventories: tuple[Path, ...],
    config_path: Path | None,
) -> None:
    """Remove flag NAME from the code for good, keeping its --value behaviour.

    Prints a unified diff; --write applies it. Exit 1 when some checks had to be left for a human
    (each is listed with file, line and reason), else 0.
    """
    from .inventory import InventoryError, remove_from_inventory
    from .removal import remove_flag
    from .scan import display_path

    config = _config(config_path, paths)
    result = remove_flag(list(paths) or [Path.cwd()], name, value == "on", config)
    problems = 0
    for change in result.changes:
        if change.error:
            problems += 1
            click.echo(f"{change.shown}: error: {change.error}", err=True)
        for note in change.notes:
            problems += 1
            click.echo(f"{change.shown}:{note.line}: left for manual removal: {note.message}", err=True)
        if change.changed:
            if write:
                try:
                    change.path.write_text(change.after, encoding="utf-8")
                except OSError as error:
                    problems += 1
                    click.echo(f"{change.shown}: error: cannot write: {error}", err=True)
            else:
                click.echo(change.diff(), nl=False)
    for inventory in inventories:
        _warn_if_inventory_disagrees(inventory, name, value)
        try:
            new_text = remove_from_inventory(inventory, name)
        except (InventoryError, OSError, ValueError) as error:
            problems += 1
            click.echo(f"{display_path(inventory)}: error: cannot update inventory: {error}", err=True)
            continue
        if new_text is None:
            click.echo(f"{display_path(inventory)}: flag {name!r} is not in this inventory", err=True)
        elif write:
            try:
                inventory.write_text(new_text, encoding="utf-8")
            except OSError as error:
                problems += 1
                click.echo(f"{display_path(inventory)}: error: cannot write: {error}", err=True)
        else:
            shown = display_path(inventory)
            old_text = inventory.read_text(encoding="utf-8")
            click.echo(
                "".join(
                    difflib.unified_diff(
                        old_text.splitlines(keepends=True),
                        new_text.splitlines(keepends=True),
                        fromfile=f"a/{shown}",
                        tofile=f"b/{shown}",
                    )
                ),
                nl=False,
            )
    changed = sum(1 for change in result.changes if change.changed)
    verb = "rewrote" if write else "would rewrite"
    click.echo(
        f"flag {name!r}: {result.references} checks found, {verb} {changed} files, "
        f"{problems} left for manual removal",
        err=True,
    )
    sys.exit(1 if problems else 0)
