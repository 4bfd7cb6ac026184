"""The subprocess that runs one source tree's own code: its models and its Alembic migrations.

Started as `python -m pytest_releasesafe.verify.compat.worker` with the tree as working directory
and the only entry of PYTHONPATH, so `import app.models` finds that tree's code and nothing else.
Old and new code never share a process: both define the same module names.

Protocol: one JSON request per line on stdin, one JSON answer per line on the original stdout.
User code that prints would corrupt that channel, so stdout is pointed at stderr before anything runs.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

_EXCERPT_FRAMES = 6


def main() -> None:
    answers = _take_stdout()
    tree = Path.cwd().resolve()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            answer = {"ok": True, "result": _HANDLERS[request["cmd"]](tree, **request.get("args", {}))}
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the caller as data
            if isinstance(error, KeyboardInterrupt):
                raise
            answer = {
                "ok": False,
                "error": _describe(error),
                "traceback": _excerpt(error, tree),
            }
        answers.write(json.dumps(answer, default=str) + "\n")
        answers.flush()
    # The caller waits for this exit before dropping its databases: skip the slow interpreter teardown
    # (every connection is already closed, every answer flushed).
    sys.stderr.flush()
    os._exit(0)


def _take_stdout() -> TextIO:
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    return answers


def _describe(error: BaseException) -> str:
    """The error without SQLAlchemy's link to its docs (noise in a terminal)."""
    lines = [line for line in str(error).splitlines() if not line.startswith("(Background on this error")]
    return f"{type(error).__name__}: " + "\n".join(lines)


def _excerpt(error: BaseException, tree: Path) -> str:
    """Where in the tree's own code it failed, innermost last: `path:line: source`, a few frames."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if os.path.isabs(frame.filename) and Path(frame.filename).resolve().is_relative_to(tree)
    ]
    return "\n".join(
        f"{os.path.relpath(frame.filename, tree)}:{frame.lineno}: {(frame.line or '').strip()}"
        for frame in frames[-_EXCERPT_FRAMES:]
    )


# --- models ---------------------------------------------------------------------------------------


def dump_models(tree: Path, models: str, dialect: str) -> dict[str, Any]:
    """What the code in this tree knows about the database: tables, columns, types, keys, defaults."""
    import sqlalchemy as sa
    from sqlalchemy.dialects import mysql, postgresql, sqlite

    from pytest_releasesafe.verify.compat.column_types import describe_type

    metadata, module = _load_metadata(models)
    _check_origin(module, tree)
    sql_dialect = {"postgresql": postgresql, "mysql": mysql, "sqlite": sqlite}[dialect].dialect()
    attributes = _mapped_attributes(metadata, tree)
    tables = []
    for table in metadata.sorted_tables:
        columns = []
        for column in table.columns:
            columns.append(
                {
                    "name": column.name,
                    "attribute": attributes.get((table.fullname, column.name)),
                    "type": describe_type(column.type, sql_dialect),
                    "nullable": bool(column.nullable),
                    "primary_key": bool(column.primary_key),
                    "autoincrement": table.autoincrement_column is column,
                    "server_default": _server_default(column, sql_dialect),
                    "client_default": column.default is not None,
                    "generated": column.computed is not None or column.identity is not None,
                    "foreign_keys": [
                        {"table": fk.column.table.name, "column": fk.column.name}
                        for fk in column.foreign_keys
                    ],
                }
            )
        tables.append({"name": table.name, "schema": table.schema, "columns": columns})
    return {"tables": tables, "sqlalchemy": sa.__version__}


def _load_metadata(spec: str) -> tuple[Any, Any]:
    import sqlalchemy as sa

    module_name, _, attribute_path = spec.partition(":")
    if not module_name or not attribute_path:
        raise ValueError(f"models setting {spec!r} must look like 'package.module:Base.metadata'")
    module = importlib.import_module(module_name)
    value: Any = module
    for part in attribute_path.split("."):
        value = getattr(value, part)
    if isinstance(value, sa.MetaData):
        return value, module
    metadata = getattr(value, "metadata", None)
    if isinstance(metadata, sa.MetaData):
        return metadata, module
    raise TypeError(f"{spec!r} is {type(value).__name__}, not a MetaData or a declarative Base")


def _check_origin(module: Any, tree: Path) -> None:
    """Guard against the old models coming from an installed copy of the new code."""
    origin = Path(getattr(module, "__file__", "") or "").resolve()
    if not origin.is_relative_to(tree):
        raise ImportError(
            f"{module.__name__} was imported from {origin}, not from the base checkout {tree}; "
            "an installed copy of the project shadows it"
        )


def _mapped_attributes(metadata: Any, tree: Path) -> dict[tuple[str, str], str]:
    """(table, column) -> "Model.attribute" for every mapped class defined in this tree."""
    import sqlalchemy as sa

    found: dict[tuple[str, str], str] = {}
    for module in list(sys.modules.values()):
        origin = getattr(module, "__file__", None)
        if not origin or not Path(origin).resolve().is_relative_to(tree):
            continue
        for value in list(vars(module).values()):
            if not isinstance(value, type):
                continue
            # a Mapper for a mapped class, another inspection object or None: hasattr() tells them apart
            mapper: Any = sa.inspect(value, raiseerr=False)
            if mapper is None or not hasattr(mapper, "column_attrs"):
                continue
            for prop in mapper.column_attrs:
                for column in prop.columns:
                    table = getattr(column, "table", None)
                    if isinstance(table, sa.Table) and table.metadata is metadata:
                        found.setdefault((table.fullname, column.name), f"{value.__name__}.{prop.key}")
    return found


def _server_default(column: Any, dialect: Any) -> str | None:
    default = column.server_default
    if default is None:
        return None
    arg = getattr(default, "arg", None)
    if arg is None:
        return "(server default)"
    if isinstance(arg, str):
        return arg
    try:
        return str(arg.compile(dialect=dialect))
    except Exception:  # noqa: BLE001 - an opaque default is still a default
        return repr(arg)


# --- alembic --------------------------------------------------------------------------------------


def _config(tree: Path, config_path: str, url: str | None = None) -> Any:
    from alembic.config import Config

    path = tree / config_path
    if not path.is_file():
        raise FileNotFoundError(f"no Alembic config at {path}")
    config = Config(str(path))
    if url is not None:
        # ConfigParser interpolation would eat a % in a password.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def script_info(tree: Path, config: str) -> dict[str, Any]:
    """The revision graph of this tree, base first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config(tree, config))
    revisions = []
    for revision in reversed(list(script.walk_revisions())):
        revisions.append(
            {
                "id": revision.revision,
                "down": _as_list(revision.down_revision),
                "message": (revision.doc or "").strip().splitlines()[0] if revision.doc else "",
                "path": os.path.relpath(revision.path, tree),
            }
        )
    return {"heads": list(script.get_heads()), "revisions": revisions}


def _as_list(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def upgrade(tree: Path, config: str, url: str, target: str) -> str:
    from alembic import command

    # For env.py files that read the URL from the environment instead of alembic.ini.
    os.environ["RELEASESAFE_DATABASE_URL"] = url
    command.upgrade(_config(tree, config, url), target)
    return target


_HANDLERS: dict[str, Callable[..., Any]] = {
    "dump_models": dump_models,
    "script_info": script_info,
    "upgrade": upgrade,
}


if __name__ == "__main__":
    main()
