"""The `releasesafe` command.

Subcommands are imported only when invoked: the pre-commit path (`releasesafe lint`) must start
fast and must not pay for libcst, SQLAlchemy or database drivers it does not use.
"""

from __future__ import annotations

import importlib

import click

from pytest_releasesafe import __version__

# name -> "module:attribute" of a click command. Each area owns its own module.
COMMANDS: dict[str, str] = {
    "lint": "pytest_releasesafe.commands.lint:lint",
    "lsp": "pytest_releasesafe.commands.lsp:lsp",
    "stats": "pytest_releasesafe.commands.stats:stats",
    "rules": "pytest_releasesafe.commands.rules:rules",
    "explain": "pytest_releasesafe.commands.rules:explain",
    "flags": "pytest_releasesafe.flags.cli:flags",
    "compat": "pytest_releasesafe.verify.compat.cli:compat",
    "trace": "pytest_releasesafe.verify.trace.cli:trace",
}


def _load(name: str) -> click.Command | None:
    module_name, _, attribute = COMMANDS[name].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        # Only hide commands whose own module is absent (an area not installed); a missing
        # dependency inside an existing module is a real error and must surface.
        if error.name and module_name.startswith(error.name):
            return None
        raise
    return getattr(module, attribute)


class MissingExtra(click.ClickException):
    exit_code = 2  # the run could not start: not "findings"


class LazyGroup(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ModuleNotFoundError as error:
            from pytest_releasesafe.extras import missing_extra

            command = ctx.invoked_subcommand
            hint = missing_extra(error, command)
            if hint is None:
                raise
            raise MissingExtra(
                f"releasesafe {command}: {hint}" if command else f"releasesafe: {hint}"
            ) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        try:
            return _load(cmd_name)
        except ModuleNotFoundError as error:
            from pytest_releasesafe.extras import missing_extra

            hint = missing_extra(error, cmd_name)
            if hint is None:
                raise
            # `releasesafe --help` lists every command, and is asked outside `invoke`: a command
            # whose extra is absent is listed as such, and running it says what to install.
            return _needs_extra(cmd_name, hint)


def _needs_extra(name: str, hint: str) -> click.Command:
    def fail(**_: object) -> None:
        raise MissingExtra(f"releasesafe {name}: {hint}")

    extra = hint.rpartition("pip install ")[2]
    return click.Command(
        name,
        callback=fail,
        help=f"Not installed: {hint}.",
        short_help=f"(not installed: pip install {extra})",
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__, prog_name="releasesafe")  # no importlib.metadata at start-up
def main() -> None:
    """Release safety: lint migrations, find stale flags, prove migrations on real databases."""


# Commands that only read files and write their report: once they return, nothing is left to clean
# up, so the process can end without the interpreter's teardown (freeing every module and object,
# sqlglot's alone ~50 ms), which is a tenth of a warm lint; a flag removal from a 100k-line file
# leaves millions of libcst and ast objects (~0.1-0.2 s to free). `flags` writes its files
# atomically before it returns and closes its worker pools. Commands that start databases or
# servers keep the normal exit: their clean-up runs at exit.
EXIT_WITHOUT_TEARDOWN = frozenset({"lint", "rules", "explain", "flags"})


def run() -> None:
    """The `releasesafe` console script and `python -m pytest_releasesafe`."""
    import os
    import sys

    command = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)
    if command == "lint":
        from pytest_releasesafe import lazy_metadata

        lazy_metadata.install()
    if command not in EXIT_WITHOUT_TEARDOWN:
        main()
        return
    try:
        main()
        code: object = 0
    except SystemExit as done:
        code = done.code
    if not isinstance(code, int):  # SystemExit("message") prints it and exits 1, as Python does
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`) or stream: the report is not ours to finish
            pass
    os._exit(code)
