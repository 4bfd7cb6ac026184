"""Which optional extra provides a module, so a missing one is a sentence, not a traceback.

`pip install pytest-releasesafe` gives the static tools (lint, flags). The pytest plugin's
databases, verification and the editor server need extras; when one is missing, every entry point
(the CLI, fixtures, verify items) names the extra to install.
"""

from __future__ import annotations

# Top-level module -> the extra that installs it.
PROVIDED_BY = {
    "sqlalchemy": "db",
    "psycopg": "db",
    "pymysql": "db",
    "alembic": "verify",
    "mako": "verify",
    "pygls": "lsp",
    "lsprotocol": "lsp",
}


# Command -> the extra that has all it needs: `trace` needs SQLAlchemy and Alembic, so naming the
# extra of the first module found missing ("db") would take the user two installs.
COMMAND_EXTRA = {"stats": "db", "trace": "verify", "compat": "verify", "lsp": "lsp"}


def missing_extra(error: BaseException, command: str | None = None) -> str | None:
    """The install hint for a ModuleNotFoundError of an extra's module, else None; for `command`,
    the extra that installs everything that command needs."""
    if not isinstance(error, ModuleNotFoundError) or not error.name:
        return None
    module = error.name.split(".")[0]
    extra = PROVIDED_BY.get(module)
    if extra is None:
        return None
    extra = COMMAND_EXTRA.get(command or "", extra)
    return f"this needs {module}, from an optional extra: pip install 'pytest-releasesafe[{extra}]'"
