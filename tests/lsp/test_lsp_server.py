"""The real `releasesafe lsp` server driven over stdio by an LSP client (pytest-lsp): diagnostics
as a buffer changes, hover with the rule's why and safe alternative, quick fixes identical to
`releasesafe lint --fix`, and suppressions that demand a reason."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.asyncio

REVISION = textwrap.dedent(
    '''\
    from alembic import op

    revision = "a1"
    down_revision = None


    def upgrade():
        op.create_index("ix_users_email", "users", ["email"])
        op.execute(
            """
            UPDATE users SET active = true;
            CREATE INDEX ix_users_name ON users (name);
            """
        )


    def downgrade():
        op.drop_index("ix_users_name", table_name="users")
        op.drop_index("ix_users_email", table_name="users")
    '''
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lsp-project")
    (root / "pyproject.toml").write_text('[tool.releasesafe]\ndialect = "postgresql"\n')
    (root / "migrations" / "versions").mkdir(parents=True)
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[str(BIN / "releasesafe"), "lsp"]))
async def client(lsp_client: LanguageClient, project: Path):
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=project.as_uri())
    )
    yield
    await lsp_client.shutdown_session()


async def _open(client: LanguageClient, path: Path, text: str) -> list[types.Diagnostic]:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python" if path.suffix == ".py" else "sql", version=1, text=text
            )
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


async def _change(client: LanguageClient, path: Path, text: str, version: int) -> list[types.Diagnostic]:
    uri = path.as_uri()
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


def _by_code(diagnostics: list[types.Diagnostic]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for diagnostic in diagnostics:
        found.setdefault(str(diagnostic.code), []).append(diagnostic.range.start.line + 1)
    return found


async def _apply_action(
    client: LanguageClient,
    path: Path,
    text: str,
    target: types.Diagnostic,
    titled: Callable[[str], bool],
    context: list[types.Diagnostic] | None = None,
) -> str:
    """`text` with the edit of the code action offered at `target` whose title `titled` accepts."""
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            range=target.range,
            context=types.CodeActionContext(diagnostics=context or [target]),
        )
    )
    action = next(a for a in actions or () if isinstance(a, types.CodeAction) and titled(a.title))
    assert action.edit is not None and action.edit.changes is not None
    return _apply(text, action.edit.changes[path.as_uri()])


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.splitlines(keepends=True)
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start = sum(len(line) for line in lines[: edit.range.start.line]) + edit.range.start.character
        end = sum(len(line) for line in lines[: edit.range.end.line]) + edit.range.end.character
        flat = "".join(lines)
        lines = (flat[:start] + edit.new_text + flat[end:]).splitlines(keepends=True)
    return "".join(lines)


async def test_diagnostics_on_open_point_at_the_call_and_at_sql_inside_the_string(
    client: LanguageClient, project: Path
) -> None:
    path = project / "migrations" / "versions" / "a1_indexes.py"
    diagnostics = await _open(client, path, REVISION)
    found = _by_code(diagnostics)
    assert found["RS101"] == [8, 12]  # op.create_index, and the CREATE INDEX line inside op.execute
    first = next(d for d in diagnostics if d.code == "RS101")
    assert first.severity == types.DiagnosticSeverity.Error and first.source == "releasesafe"
    assert "ix_users_email" in first.message


async def test_typing_the_fix_clears_the_diagnostics_after_the_debounce(
    client: LanguageClient, project: Path
) -> None:
    path = project / "migrations" / "versions" / "a2_index.py"
    text = REVISION.split("    op.execute(")[0] + "\n\ndef downgrade():\n    pass\n"
    assert "RS101" in _by_code(await _open(client, path, text))
    fixed = text.replace(
        '    op.create_index("ix_users_email", "users", ["email"])',
        "    with op.get_context().autocommit_block():\n"
        '        op.create_index("ix_users_email", "users", ["email"], postgresql_concurrently=True)',
    )
    assert "RS101" not in _by_code(await _change(client, path, fixed, version=2))


async def test_hover_explains_why_and_what_to_write_instead(client: LanguageClient, project: Path) -> None:
    path = project / "migrations" / "versions" / "a3_hover.py"
    diagnostics = await _open(client, path, REVISION)
    target = next(d for d in diagnostics if d.code == "RS101")
    result = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()), position=target.range.start
        )
    )
    assert result is not None
    value = result.contents.value  # type: ignore[union-attr]
    assert "RS101" in value and "**Why**" in value and "**Instead**" in value
    assert "postgresql_concurrently=True" in value and "ix_users_email" in value


async def test_quick_fix_is_the_same_text_lint_fix_writes(client: LanguageClient, project: Path) -> None:
    path = project / "migrations" / "versions" / "a4_fix.py"
    diagnostics = await _open(client, path, REVISION)
    target = next(d for d in diagnostics if d.code == "RS101")
    fixed_in_editor = await _apply_action(
        client, path, REVISION, target, lambda title: title.startswith("Fix all")
    )
    # The CLI on the same file on disk, in a copy of the project.
    copy = project.parent / "lsp-cli-copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(project, copy)
    on_disk = copy / "migrations" / "versions" / "a4_fix.py"
    on_disk.write_text(REVISION)
    subprocess.run(
        [BIN / "releasesafe", "lint", "--fix", str(on_disk)], cwd=copy, capture_output=True, check=False
    )
    assert fixed_in_editor == on_disk.read_text()
    assert "postgresql_concurrently=True" in fixed_in_editor
    assert "RS101" not in _by_code(await _change(client, path, fixed_in_editor, version=2))


async def test_suppression_action_needs_a_reason_before_it_silences(
    client: LanguageClient, project: Path
) -> None:
    path = project / "migrations" / "versions" / "a5_suppress.py"
    diagnostics = await _open(client, path, REVISION)
    target = next(d for d in diagnostics if d.code == "RS101" and d.range.start.line == 7)
    with_comment = await _apply_action(
        client, path, REVISION, target, lambda title: title.startswith("Suppress RS101")
    )
    assert "    # releasesafe: ignore[RS101] \n    op.create_index(" in with_comment
    found = _by_code(await _change(client, path, with_comment, version=2))
    assert found.get("RS004") == [8]  # no reason yet: the suppression itself is reported
    reasoned = with_comment.replace("ignore[RS101] ", "ignore[RS101] users has 40 rows in every environment")
    found = _by_code(await _change(client, path, reasoned, version=3))
    assert "RS004" not in found and found["RS101"] == [13]  # only the one inside op.execute is left


async def test_sql_file_gets_diagnostics_and_a_concurrently_fix(
    client: LanguageClient, project: Path
) -> None:
    path = project / "migrations" / "V2__index.sql"
    text = "CREATE INDEX ix_orders_user ON orders (user_id);\n"
    diagnostics = await _open(client, path, text)
    assert _by_code(diagnostics)["RS101"] == [1]
    fixed = await _apply_action(
        client, path, text, diagnostics[0], lambda title: title == "Fix RS101", context=diagnostics
    )
    assert "CREATE INDEX CONCURRENTLY ix_orders_user" in fixed


async def test_buffer_is_judged_against_the_history_beside_it(client: LanguageClient, project: Path) -> None:
    # V1 (saved) creates the table with a varchar(20); the unsaved V2 narrows it: only the replayed
    # history can tell that this type change rewrites the table.
    folder = project / "flyway"
    folder.mkdir(exist_ok=True)
    (folder / "V1__users.sql").write_text("CREATE TABLE users (id bigint PRIMARY KEY, name varchar(20));\n")
    path = folder / "V2__narrow.sql"
    text = "SET lock_timeout = '1s';\nALTER TABLE users ALTER COLUMN name TYPE varchar(10);\n"
    found = _by_code(await _open(client, path, text))
    assert found.get("RS401") == [2]
    widened = text.replace("varchar(10)", "varchar(40)")
    assert "RS401" not in _by_code(await _change(client, path, widened, version=2))


async def test_goose_quick_fix_takes_the_step_out_of_the_transaction_like_lint_fix(
    client: LanguageClient, project: Path
) -> None:
    folder = project / "goose"
    folder.mkdir(exist_ok=True)
    path = folder / "20240101000000_index.sql"
    text = "-- +goose Up\nCREATE INDEX ix_orders_user ON orders (user_id);\n\n-- +goose Down\nDROP INDEX ix_orders_user;\n"
    diagnostics = await _open(client, path, text)
    target = next(d for d in diagnostics if d.code == "RS101")
    in_editor = await _apply_action(client, path, text, target, lambda title: title.startswith("Fix"))
    assert "-- +goose NO TRANSACTION" in in_editor and "CREATE INDEX CONCURRENTLY" in in_editor
    path.write_text(text)
    subprocess.run(
        [BIN / "releasesafe", "lint", "--fix", "--select", "RS101", str(path)],
        cwd=project,
        capture_output=True,
    )
    assert in_editor == path.read_text()
    path.unlink()
