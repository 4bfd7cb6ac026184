"""Safe by construction: an Alembic `process_revision_directives` hook for autogenerate.

In env.py:

    from pytest_releasesafe.autogenerate import safe_directives

    context.configure(connection=connection, target_metadata=target_metadata,
                      process_revision_directives=safe_directives)

`alembic revision --autogenerate` then writes revisions that `releasesafe lint` accepts: concurrent
index builds, NOT VALID + VALIDATE, NULLable-first columns, deferred drops, renames as
expand/contract. See docs/autogenerate.md and `pytest_releasesafe.autogenerate.rewrite`.

When the contract step of an expand/contract change is due (the previous release no longer maps a
column or table), name it: `make_safe_directives(contract=["users.legacy_flag"])`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pytest_releasesafe.autogenerate.rewrite import SafeRewrite

Hook = Callable[[Any, Any, list[Any]], None]


def make_safe_directives(*, contract: Iterable[str] = (), then: Hook | None = None) -> Hook:
    """A `process_revision_directives` hook; `contract` names drops that are due ("table.column" or
    "table"); `then` is another hook to run after the rewrite (hooks do not chain on their own)."""
    if isinstance(contract, str):
        raise TypeError("contract= takes a list of names, e.g. ['users.legacy_flag'], not one string")
    entries = tuple(contract)

    def hook(context: Any, revision: Any, directives: list[Any]) -> None:
        for script in directives:
            if getattr(script, "upgrade_ops_list", None) is not None:
                SafeRewrite(context.dialect, entries).script(script)
        if then is not None:
            then(context, revision, directives)

    return hook


safe_directives: Hook = make_safe_directives()

__all__ = ["make_safe_directives", "safe_directives"]
