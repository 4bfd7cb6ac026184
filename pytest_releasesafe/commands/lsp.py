"""`releasesafe lsp`: run the language server on stdio (for editors)."""

from __future__ import annotations

import click


@click.command()
def lsp() -> None:
    """Run the language server on stdin/stdout: diagnostics, hover, fixes and suppressions in your editor.

    Needs pygls: pip install 'pytest-releasesafe[lsp]' (the command says so when it is missing).
    Editor set-up: docs/lsp.md.
    """
    from pytest_releasesafe.lsp.server import main

    main()
