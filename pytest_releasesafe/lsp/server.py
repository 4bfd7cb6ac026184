"""The pygls server: diagnostics as the user types, hover, fixes and suppressions as code actions.

Diagnostics are recomputed DEBOUNCE_SECONDS after the last change to a buffer (typing does not lint
every keystroke) and at once on open and save. Everything the server says comes from
documents.py, so the editor and `releasesafe lint` never disagree.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from pytest_releasesafe import __version__
from pytest_releasesafe.findings import Finding
from pytest_releasesafe.lsp import documents

DEBOUNCE_SECONDS = 0.3
SOURCE = "releasesafe"
_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


class ReleasesafeServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("releasesafe", __version__)
        self.findings: dict[str, list[Finding]] = {}  # uri -> findings of the last lint
        self.pending: dict[str, asyncio.Task[None]] = {}

    def path_of(self, uri: str) -> Path:
        return Path(to_fs_path(uri) or uri)

    def lint_now(self, uri: str) -> None:
        document = self.workspace.get_text_document(uri)
        path = self.path_of(uri)
        try:
            found = documents.lint_buffer(path, document.source)
        except Exception as error:  # the editor must keep its server: report, don't die
            found = [Finding(str(path), 1, 1, "RS005", "internal-error", "error", f"lint failed: {error!r}")]
        self.findings[uri] = found
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, version=document.version, diagnostics=[_diagnostic(f) for f in found]
            )
        )

    def lint_later(self, uri: str) -> None:
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()

        async def run() -> None:
            await asyncio.sleep(DEBOUNCE_SECONDS)
            self.pending.pop(uri, None)
            self.lint_now(uri)

        self.pending[uri] = asyncio.ensure_future(run())


def _diagnostic(finding: Finding) -> types.Diagnostic:
    start = types.Position(line=max(finding.line - 1, 0), character=max(finding.column - 1, 0))
    if finding.end_line:
        end = types.Position(line=finding.end_line - 1, character=max(finding.end_column - 1, 0))
    else:
        end = types.Position(line=start.line + 1, character=0)  # to the end of the line
    if (end.line, end.character) <= (start.line, start.character):
        end = types.Position(line=start.line + 1, character=0)
    return types.Diagnostic(
        range=types.Range(start=start, end=end),
        message=finding.message,
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.rule,
        source=SOURCE,
        data={"name": finding.name},
    )


def _contains(finding: Finding, position: types.Position) -> bool:
    diagnostic = _diagnostic(finding).range
    here = (position.line, position.character)
    return (
        (diagnostic.start.line, diagnostic.start.character)
        <= here
        < (diagnostic.end.line, diagnostic.end.character)
    )


def _overlaps(finding: Finding, selection: types.Range) -> bool:
    first, last = finding.line - 1, (finding.end_line or finding.line) - 1
    return first <= selection.end.line and last >= selection.start.line


server = ReleasesafeServer()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: ReleasesafeServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.lint_now(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: ReleasesafeServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.lint_later(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: ReleasesafeServer, params: types.DidSaveTextDocumentParams) -> None:
    if ls.path_of(params.text_document.uri).name == "pyproject.toml":
        documents.reset_configuration()
    ls.lint_now(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: ReleasesafeServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.findings.pop(uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: ReleasesafeServer, params: types.HoverParams) -> types.Hover | None:
    here = [f for f in ls.findings.get(params.text_document.uri, []) if _contains(f, params.position)]
    if not here:
        return None
    text = "\n\n---\n\n".join(documents.explain(f) for f in here)
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
def code_action(ls: ReleasesafeServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    document = ls.workspace.get_text_document(uri)
    path = ls.path_of(uri)
    every = ls.findings.get(uri, [])
    selected = [f for f in every if _overlaps(f, params.range)]
    actions: list[types.CodeAction] = []
    for finding in selected:
        edit = documents.fix(path, document.source, [finding])
        if edit is not None:
            actions.append(_whole_buffer_action(uri, document, edit, preferred=True))
    everything = documents.fix(path, document.source, every)
    if everything is not None and everything.count > 1:
        actions.append(_whole_buffer_action(uri, document, everything, preferred=False))
    for finding in selected:
        line, comment = documents.suppression(path, document.source, finding)
        position = types.Position(line=line, character=0)
        actions.append(
            types.CodeAction(
                title=f"Suppress {finding.rule} here (type the reason after the comment)",
                kind=types.CodeActionKind.QuickFix,
                edit=types.WorkspaceEdit(
                    changes={
                        uri: [
                            types.TextEdit(range=types.Range(start=position, end=position), new_text=comment)
                        ]
                    }
                ),
            )
        )
    return actions


def _whole_buffer_action(
    uri: str, document: TextDocument, edit: documents.Edit, *, preferred: bool
) -> types.CodeAction:
    end = types.Position(line=len(document.lines), character=0)
    return types.CodeAction(
        title=edit.title,
        kind=types.CodeActionKind.QuickFix,
        is_preferred=preferred,
        edit=types.WorkspaceEdit(
            changes={
                uri: [
                    types.TextEdit(
                        range=types.Range(start=types.Position(line=0, character=0), end=end),
                        new_text=edit.new_text,
                    )
                ]
            }
        ),
    )


def main() -> None:
    server.start_io()
