"""What `releasesafe flags remove` did: print diffs or write files, list what is left, pick the exit code.

Exit codes (documented in docs/flags.md):

- 0: every check of the flag is gone (or, without --write, would be);
- 1: something is left for a human: a check listed with file, line and reason, a file that could not
  be read or parsed (its checks are unknown), a rewrite that was refused or failed to write;
- 3: the flag exists nowhere (no check, constant, registry entry or inventory entry): most likely a
  typo, so close names are suggested.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import click

from ..source_text import RewriteRefused, write_source
from .removal import RemovalResult

EXIT_CLEAN, EXIT_LEFT_FOR_HUMAN, EXIT_FLAG_NOT_FOUND = 0, 1, 3


@dataclass(frozen=True)
class InventoryOutcome:
    found: bool  # the flag had an entry in this inventory
    error: bool = False


@dataclass
class RemovalOutcome:
    manual: int = 0  # checks left for a human
    errors: int = 0  # files that could not be read, parsed, rewritten or written
    rewritten: int = 0  # files written (or, without --write, that would be)
    inventories: list[InventoryOutcome] = field(default_factory=list)

    def report(self, result: RemovalResult, name: str, write: bool) -> int:
        """Print the summary line; the exit code."""
        errors = self.errors + sum(1 for inventory in self.inventories if inventory.error)
        verb = "rewrote" if write else "would rewrite"
        click.echo(
            f"flag {name!r}: {result.references} checks found, {verb} {self.rewritten} files, "
            f"{self.manual} left for manual removal, {errors} files with errors",
            err=True,
        )
        if self.manual or errors:
            return EXIT_LEFT_FOR_HUMAN
        if not result.found_anywhere and not any(inventory.found for inventory in self.inventories):
            hint = difflib.get_close_matches(name, sorted(result.known_flags), n=3)
            suggestion = f"; did you mean {', '.join(repr(flag) for flag in hint)}?" if hint else ""
            click.echo(
                f"warning: flag {name!r} is not checked, defined or listed anywhere under the given "
                f"paths{suggestion}",
                err=True,
            )
            return EXIT_FLAG_NOT_FOUND
        return EXIT_CLEAN


def apply_removal(result: RemovalResult, name: str, *, write: bool, root: Path) -> RemovalOutcome:
    """Report every problem with file and line, then print each diff or write each file."""
    outcome = RemovalOutcome()
    for problem in result.scan.findings:
        if problem.rule == "RSF009":  # flag-parse-error: this file's checks of the flag are unknown
            outcome.errors += 1
            click.echo(f"{problem.path}:{problem.line}: error: {problem.message}", err=True)
    for change in result.changes:
        if change.error:
            outcome.errors += 1
            click.echo(f"{change.shown}: error: {change.error}", err=True)
        for note in change.notes:
            outcome.manual += 1
            click.echo(f"{change.shown}:{note.line}: left for manual removal: {note.message}", err=True)
        if not change.changed:
            continue
        if not write:
            click.echo(change.diff(), nl=False)
            outcome.rewritten += 1
            continue
        if change.source is None:  # not read through read_source: never write what we cannot round-trip
            outcome.errors += 1
            click.echo(f"{change.shown}: error: not written: the file was not read safely", err=True)
            continue
        try:
            write_source(change.source, change.after, root=root)
        except RewriteRefused as error:
            outcome.errors += 1
            click.echo(f"{change.shown}: error: not written: {error}", err=True)
            continue
        outcome.rewritten += 1
    return outcome
