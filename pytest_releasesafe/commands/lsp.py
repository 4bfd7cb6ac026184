"""`releasesafe lsp`: run the language server on stdio (for editors)."""

from __future__ import annotations

import click


@click.command()
def lsp() -> None:
    """Run the language server on stdin/stdout: diagnostics, hover, fixes and suppressions in your editor.

    Needs pygls: pip install 'pytest-releasesafe[lsp]'. Editor set-up: docs/lsp.md.
    """
    try:
        from pytest_releasesafe.lsp.server import main
    except ModuleNotFoundError as error:
        if error.name and error.name.split(".")[0] in ("pygls", "lsprotocol"):
            raise click.ClickException(
                "the language server needs pygls: pip install 'pytest-releasesafe[lsp]'"
            ) from None
        raise
    main()
