"""`releasesafe lsp`: the linter in the editor, over the Language Server Protocol on stdio.

documents.py holds what the server knows how to do with one buffer (lint it, explain a finding,
fix it, suppress it) and has no LSP types; server.py wires those into pygls. Needs the `[lsp]`
extra (pygls).
"""
