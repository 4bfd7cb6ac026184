"""Options every reporting command shares, spelled and behaving the same: `-o/--output`,
`--exit-zero` and `--fail-on` (lint, flags scan, trace)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from pytest_releasesafe.findings import SEVERITY_RANK

F = TypeVar("F", bound=Callable[..., Any])
FAIL_ON_LEVELS = ("error", "warning", "info")


def output_option(command: F) -> F:
    return click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, writable=True),
        help="Write the report to a file instead of stdout.",
    )(command)


def exit_zero_option(command: F) -> F:
    return click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported.")(command)


def fail_on_option(default: str) -> Callable[[F], F]:
    def decorate(command: F) -> F:
        return click.option(
            "--fail-on",
            type=click.Choice(FAIL_ON_LEVELS),
            default=None,
            help=f"Lowest severity that fails the run (default: {default}).",
        )(command)

    return decorate


class ReportWriteError(click.ClickException):
    exit_code = 2  # the run's output is lost: not "findings"


def write_report(text: str, output: str | Path | None, *, color: bool = False) -> None:
    """`text` to stdout, or to `output` through a temporary file and a rename: a SARIF or JSON file
    a CI step reads is the whole report or the previous one, never half of one."""
    if not output:
        click.echo(text, nl=False, color=color)
        return
    target = Path(output)
    try:
        if _is_special_file(target):
            # /dev/null, /dev/stdout, a FIFO: write through it. A rename would replace the device
            # node itself with a regular file (as root, /dev/null for the whole machine).
            with open(target, "w", encoding="utf-8") as stream:
                stream.write(text)
            return
    except OSError as error:
        raise ReportWriteError(f"{output}: cannot write: {error.strerror or error}") from None
    target = target.resolve() if target.is_symlink() else target  # keep the link, replace its file
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ReportWriteError(f"{output}: cannot write: {error.strerror or error}") from None


def _is_special_file(path: Path) -> bool:
    """An existing path (symlinks followed) that is not a regular file or a folder."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def failed(severities: Iterable[str], fail_on: str) -> bool:
    threshold = SEVERITY_RANK[fail_on]
    return any(SEVERITY_RANK[severity] >= threshold for severity in severities)
