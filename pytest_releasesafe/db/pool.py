"""The servers and migrated templates of one pytest session (or xdist worker), shared by all fixtures."""

from __future__ import annotations

from pathlib import Path

from pytest_releasesafe.db.migrate import AlembicSource, upgrade_to_head
from pytest_releasesafe.db.server import Database, Server
from pytest_releasesafe.db.supply import DatabaseSupply


class ServerPool:
    """One server per setting for the whole session; failures are remembered so they are tried once."""

    def __init__(self) -> None:
        # A failure (unavailable, or a server that would not start) is kept: one try per session.
        self._servers: dict[str, Server | Exception] = {}
        self._templates: dict[tuple[int, AlembicSource], Database | Exception] = {}
        self.supply = DatabaseSupply()

    def server(self, setting: str) -> Server:
        from pytest_releasesafe.db.provision import get_server

        known = self._servers.get(setting)
        if known is None:
            try:
                known = get_server(setting)
            except Exception as error:
                known = error
            self._servers[setting] = known
        if isinstance(known, Exception):
            raise known
        return known

    def migrated_template(self, server: Server, source: AlembicSource) -> Database:
        """A database at the Alembic head, migrated once per session and then only cloned."""
        key = (id(server), source)
        known = self._templates.get(key)
        if known is None:
            template = server.create_database(prefix="releasesafe_tpl")
            try:
                upgrade_to_head(template, source)
                template.dispose()
                known = template
            except Exception as error:
                template.drop()
                known = error
            except BaseException:
                template.drop()  # interrupted: nothing to remember
                raise
            self._templates[key] = known
        if isinstance(known, Exception):
            raise known
        return known

    def close(self) -> None:
        """Drop templates and stop servers; one failure does not keep the others running."""
        errors: list[BaseException] = []
        try:
            self.supply.close()  # spares are clones of the templates: they go first
        except Exception as error:
            errors.append(error)
        for template in self._templates.values():
            if isinstance(template, Database):
                try:
                    template.drop()
                except Exception as error:
                    errors.append(error)
        self._templates.clear()
        for server in self._servers.values():
            if isinstance(server, Server):
                try:
                    server.stop()
                except Exception as error:
                    errors.append(error)
        self._servers.clear()
        if errors:
            raise errors[0]


def as_path(value: str, base: Path) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (base / path).resolve()
