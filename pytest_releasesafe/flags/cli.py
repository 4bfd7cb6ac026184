"""`releasesafe flags scan|remove`."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pytest_releasesafe.gc_pause import fewer_collections

from ..commands.common import exit_zero_option, fail_on_option, failed, output_option, write_report
from ..findings import Finding
from ..text_diff import unified_diff
from .config import ConfigError, FlagsConfig, find_pyproject, load_config, project_root
from .rules import RULES

if TYPE_CHECKING:
    from .outcome import InventoryOutcome

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
        assert flag is not None  # expected is only set for a flag
        click.echo(
            f"warning: {inventory}:{flag.line}: '{name}' is rolled out to {flag.rollout}% "
            f"(everyone {expected}), but --value {value} keeps the other behaviour",
            err=True,
        )


def _remove_from_inventory(inventory: Path, name: str, value: str, write: bool) -> InventoryOutcome:
    from ..source_text import RewriteRefused, read_source, write_source
    from .inventory import InventoryError, remove_from_inventory
    from .outcome import InventoryOutcome
    from .scan import display_path

    shown = display_path(inventory)
    _warn_if_inventory_disagrees(inventory, name, value)
    try:
        source = read_source(inventory)
        new_text = remove_from_inventory(inventory, name)
    except (InventoryError, RewriteRefused, OSError, ValueError) as error:
        click.echo(f"{shown}: error: cannot update inventory: {error}", err=True)
        return InventoryOutcome(found=False, error=True)
    if new_text is None:
        click.echo(f"{shown}: flag {name!r} is not in this inventory", err=True)
        return InventoryOutcome(found=False)
    if not write:
        click.echo(
            "".join(
                unified_diff(
                    source.text.splitlines(keepends=True),
                    new_text.splitlines(keepends=True),
                    fromfile=f"a/{shown}",
                    tofile=f"b/{shown}",
                )
            ),
            nl=False,
        )
        return InventoryOutcome(found=True)
    try:
        write_source(source, new_text, root=project_root([inventory]))
    except RewriteRefused as error:
        click.echo(f"{shown}: error: not written: {error}", err=True)
        return InventoryOutcome(found=True, error=True)
    return InventoryOutcome(found=True)


_inventory_option = click.option(
    "--inventory",
    "inventories",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML inventory or OpenFeature/flagd JSON (repeatable). Default: `inventory` in [tool.releasesafe.flags].",
)
_config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="pyproject.toml to read [tool.releasesafe.flags] from (default: nearest one).",
)


@click.group()
def flags() -> None:
    """Find stale feature flags and remove them from Python code."""


@flags.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@_inventory_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--today", callback=_date, help="Judge staleness as of this date (YYYY-MM-DD), for reproducible runs."
)
@_config_option
@click.option(
    "--references-only",
    is_flag=True,
    help="Report only code lines: unknown flags and new checks of stale flags (for pre-commit on changed files).",
)
@click.option(
    "--diff",
    "diff_ref",
    metavar="REF",
    help="Report code findings only on lines added or changed since git REF (the hook uses HEAD); "
    "files git does not track yet count as new.",
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
    diff_ref: str | None,
    output: str | None = None,
    exit_zero: bool = False,
    fail_on: str | None = None,
) -> None:
    """Report flag checks that are stale, unknown or unused. Exit 1 when there are findings."""
    from .changed_lines import ChangedLinesError, changed_lines, is_new
    from .scan import scan as run_scan

    config = _config(config_path, paths)
    targets = list(paths) or [Path.cwd()]
    changed = None
    if diff_ref is not None:
        try:
            changed = changed_lines(targets[0], diff_ref)
        except ChangedLinesError as error:
            raise click.UsageError(str(error)) from error
    with fewer_collections():
        result = run_scan(
            targets,
            config,
            list(inventories) or list(config.inventories),
            today,
            references_only=references_only,
        )
    if changed is not None:
        # A file that does not parse matters whatever changed in it.
        result.findings = [
            finding
            for finding in result.findings
            if finding.rule == "RSF009" or is_new(changed, finding.path, finding.line)
        ]
    report = render_findings(result.findings, fmt, result.files_seen)
    if output:
        write_report(report, output)
    elif report:
        click.echo(report.rstrip("\n"), color=fmt == "text" and "\x1b[" in report)
    sys.exit(1 if not exit_zero and failed((f.severity for f in result.findings), fail_on or "info") else 0)


@flags.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@_inventory_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True
)
@click.option(
    "--today",
    callback=_date,
    help="Judge staleness and age as of this date (YYYY-MM-DD), for reproducible runs.",
)
@_config_option
@_no_tracebacks
def report(
    paths: tuple[Path, ...],
    inventories: tuple[Path, ...],
    fmt: str,
    today: dt.date,
    config_path: Path | None,
) -> None:
    """One entry per flag: age, owner, rollout, references, last change (git blame) and the remove command."""
    from .flag_report import RENDERERS, build_report

    config = _config(config_path, paths)
    rows = build_report(
        list(paths) or [Path.cwd()], config, list(inventories) or list(config.inventories), today
    )
    click.echo(RENDERERS[fmt](rows), nl=False)


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
@_config_option
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

    Prints a unified diff; --write applies it. Exit 0 when every check went; 1 when something was left
    for a human (a check listed with file, line and reason, or a file that could not be read, parsed or
    written); 3 when the flag is found nowhere (no check, constant or inventory entry: a typo?).
    """
    from .outcome import apply_removal
    from .removal import remove_flag

    config = _config(config_path, paths)
    targets = list(paths) or [Path.cwd()]
    with fewer_collections():
        result = remove_flag(targets, name, value == "on", config)
        outcome = apply_removal(result, name, write=write, root=project_root(targets))
    outcome.inventories = [_remove_from_inventory(inventory, name, value, write) for inventory in inventories]
    sys.exit(outcome.report(result, name, write))
