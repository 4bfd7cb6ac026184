"""Orchestrate a compat run: old code from git, new schema from migrations, probes, culprit revisions."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from pytest_releasesafe.verify.compat.breaks import Break, Revision
from pytest_releasesafe.verify.compat.errors import CompatError
from pytest_releasesafe.verify.compat.git import Base, repo_root, resolve, worktree
from pytest_releasesafe.verify.compat.probes import run_probes
from pytest_releasesafe.verify.compat.schema import OldTable, old_tables_from_dump, reflect
from pytest_releasesafe.verify.compat.settings import CompatSettings, load_settings
from pytest_releasesafe.verify.compat.static import compare
from pytest_releasesafe.verify.compat.tree_process import TreeProcess

BreakKey = tuple[str, str, str | None, str]


class DatabaseHandle(Protocol):
    """A fresh, uniquely named database that the run owns and drops (see pytest_releasesafe.db)."""

    @property
    def url(self) -> str: ...

    def drop(self) -> None: ...


DatabaseFactory = Callable[[], DatabaseHandle]


@dataclass(frozen=True)
class CompatReport:
    base: Base
    project: Path
    dialect: str
    server: str  # what ran the check, e.g. "postgresql 15.4"
    tables: tuple[str, ...]  # the tables the old code maps
    new_revisions: tuple[Revision, ...]
    breaks: tuple[Break, ...] = field(default=())

    @property
    def compatible(self) -> bool:
        return not self.breaks


def run_compat(
    project: Path,
    base_ref: str,
    create_database: DatabaseFactory,
    dialect: str,
    server: str = "",
) -> CompatReport:
    """Check that the code at `base_ref` still works once the current tree's migrations have run."""
    project = project.resolve()
    settings = load_settings(project)
    repo, base = preflight(project, base_ref, settings)
    # The processes must end before the databases are dropped (an env.py may pool connections),
    # hence two stacks: `processes` unwinds first.
    with ExitStack() as resources, ExitStack() as processes:
        old_project = resources.enter_context(worktree(repo, base)) / project.relative_to(repo)
        if not old_project.is_dir():
            raise CompatError(f"the base release {base.ref} has no {project.relative_to(repo)} directory")
        old_settings = load_settings(old_project, fallback=settings)
        if not old_settings.models:
            raise CompatError(
                f"{project / 'pyproject.toml'}: set [tool.releasesafe] models, "
                'e.g. models = "app.models:Base.metadata"'
            )
        _require_alembic_config(old_project, old_settings, f"the base release {base.ref}")
        old = processes.enter_context(TreeProcess(old_project, f"base {base.ref}"))
        new = processes.enter_context(TreeProcess(project, "current tree"))
        dump = old.request(
            f"importing the models of {base.ref} ({old_settings.models})",
            "dump_models",
            models=old_settings.models,
            dialect=dialect,
        )
        old_tables = old_tables_from_dump(dump)
        old_heads = old.request(
            f"reading the migrations of {base.ref}", "script_info", config=old_settings.alembic_config
        )["heads"]
        new_script = new.request(
            "reading the current migrations", "script_info", config=settings.alembic_config
        )
        revisions = _new_revisions(old_heads, new_script, base.ref)
        report = CompatReport(
            base=base,
            project=project,
            dialect=dialect,
            server=server or dialect,
            tables=tuple(table.name for table in old_tables),
            new_revisions=tuple(revisions),
        )
        if not revisions:
            return report

        upgraded = _own(resources, create_database())
        old.request(
            f"migrating a database to the head of {base.ref}",
            "upgrade",
            config=old_settings.alembic_config,
            url=_url(upgraded),
            target="heads",
        )
        states = [_check(_url(upgraded), old_tables)]
        for revision in revisions:
            new.request(
                f"applying revision {revision.id}",
                "upgrade",
                config=settings.alembic_config,
                url=_url(upgraded),
                target=revision.id,
            )
            states.append(_check(_url(upgraded), old_tables))

        fresh = _own(resources, create_database())
        new.request(
            "migrating a fresh database to head",
            "upgrade",
            config=settings.alembic_config,
            url=_url(fresh),
            target="heads",
        )
        fresh_state = _check(_url(fresh), old_tables)
        return replace(report, breaks=tuple(_attribute(states, revisions, fresh_state)))


def preflight(project: Path, base_ref: str, settings: CompatSettings) -> tuple[Path, Base]:
    """The checks that need no database: fail fast on a bad ref or a missing config."""
    repo = repo_root(project)
    base = resolve(repo, base_ref)
    _require_alembic_config(project, settings, "the current tree")
    return repo, base


def _own(stack: ExitStack, database: DatabaseHandle) -> DatabaseHandle:
    stack.callback(database.drop)
    return database


def _url(database: DatabaseHandle) -> str:
    """The URL as text with its password: it goes to our own subprocess and engine, never to output."""
    url: Any = database.url
    return url if isinstance(url, str) else url.render_as_string(hide_password=False)


def _require_alembic_config(project: Path, settings: CompatSettings, whose: str) -> None:
    if not (project / settings.alembic_config).is_file():
        raise CompatError(
            f"{whose} has no Alembic config at {settings.alembic_config} "
            "(set [tool.releasesafe] alembic_config in pyproject.toml)"
        )


def _new_revisions(old_heads: list[str], new_script: dict[str, Any], base_ref: str) -> list[Revision]:
    """The revisions production will apply on top of the base release, in order."""
    down = {revision["id"]: revision["down"] for revision in new_script["revisions"]}
    for head in old_heads:
        if head not in down:
            raise CompatError(
                f"the migration head of {base_ref} ({head}) is not an ancestor of the current head "
                f"({', '.join(new_script['heads'])}): the histories have diverged"
            )
    applied: set[str] = set()
    pending = list(old_heads)
    while pending:
        revision = pending.pop()
        if revision not in applied:
            applied.add(revision)
            pending.extend(down.get(revision, []))
    return [
        Revision(id=revision["id"], message=revision["message"], path=revision["path"])
        for revision in new_script["revisions"]
        if revision["id"] not in applied
    ]


def _check(url: str, old_tables: tuple[OldTable, ...]) -> dict[BreakKey, Break]:
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            new_tables = reflect(connection, old_tables)
            connection.rollback()
            static = compare(old_tables, new_tables)
            probes = run_probes(connection, old_tables, new_tables)
    finally:
        engine.dispose()
    # A renamed column is one problem, reported on its old name: the new name's failures are its echo.
    renamed = {(item.table, item.renamed_to) for item in static if item.renamed_to}
    probes = [item for item in probes if (item.table, item.column) not in renamed]
    return {item.key: item for item in static + probes}


def _attribute(
    states: list[dict[BreakKey, Break]], revisions: list[Revision], fresh: dict[BreakKey, Break]
) -> list[Break]:
    """Breaks present at head but not at the base head, each blamed on the revision that started it."""
    baseline, final = states[0], states[-1]
    found = []
    for key, item in final.items():
        if key in baseline:
            continue  # the old code already could not do this on its own schema: not this release's doing
        first = len(states) - 1
        while first > 1 and key in states[first - 1]:
            first -= 1
        found.append(replace(item, revision=revisions[first - 1]))
    for key, item in fresh.items():
        if key not in baseline and key not in final:
            found.append(replace(item, fresh_only=True))
    return sorted(
        found, key=lambda item: (item.table, item.column or "", item.operation != "schema", item.key)
    )
