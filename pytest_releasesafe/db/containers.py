"""Servers in Docker containers through testcontainers (extra `[docker]`), only when an engine answers.

Whether the engine answers is asked with one HTTP `GET /_ping` on DOCKER_HOST (a Unix socket or
tcp://), which takes milliseconds and imports nothing, so machines without Docker pay nothing.
"""

from __future__ import annotations

import importlib.util
import os
import socket
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from pytest_releasesafe.db.spec import DatabaseSpec

if TYPE_CHECKING:
    from testcontainers.core.generic import DbContainer

    from pytest_releasesafe.db.provision import Way
    from pytest_releasesafe.db.server import Server

DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock"
POSTGRES_IMAGE = "postgres:{version}-alpine"
DEFAULT_POSTGRES_VERSION = 17
MARIADB_IMAGE = "mariadb:{version}"
DEFAULT_MARIADB_VERSION = "11"


def way(spec: DatabaseSpec) -> Way:
    from pytest_releasesafe.db.provision import Way

    if importlib.util.find_spec("testcontainers") is None:
        return Way(
            "docker", reason="testcontainers is not installed (pip install 'pytest-releasesafe[docker]')"
        )
    problem = docker_engine_problem()
    if problem is not None:
        return Way("docker", reason=problem)
    return Way("docker", start=lambda: start_container(spec))


def docker_engine_problem(docker_host: str | None = None, timeout: float = 1.0) -> str | None:
    """None when a Docker engine answers its ping at DOCKER_HOST, else why not (for the skip reason)."""
    docker_host = docker_host or os.environ.get("DOCKER_HOST") or DEFAULT_DOCKER_HOST
    address = urlparse(docker_host)
    try:
        if address.scheme == "unix":
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(timeout)
            connection.connect(address.path)
        elif address.scheme in ("tcp", "http"):
            connection = socket.create_connection(
                (address.hostname or "127.0.0.1", address.port or 2375), timeout
            )
        else:
            return f"DOCKER_HOST {docker_host!r} is not a unix:// or tcp:// address"
    except OSError as error:
        return f"no Docker engine answers at {docker_host} ({error.strerror or error})"
    try:
        with connection:
            connection.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
            reply = connection.recv(4096)
    except OSError as error:
        return f"the Docker engine at {docker_host} did not answer its ping ({error})"
    status_line = reply.split(b"\r\n", 1)[0]
    if b" 200 " not in status_line + b" ":
        answer = status_line.decode(errors="replace")
        return f"the Docker engine at {docker_host} answered {answer!r} to its ping"
    return None


class _ContainerResource:
    def __init__(self, container: Any) -> None:
        self.container = container

    def stop(self) -> None:
        self.container.stop()


def _loopback_only(container: Any, port: int) -> None:
    # Docker publishes on every interface by default; bind to loopback, host port chosen by Docker.
    container.ports[f"{port}/tcp"] = ("127.0.0.1", None)


def start_container(spec: DatabaseSpec) -> Server:
    from pytest_releasesafe.db.dialects import ops_for
    from pytest_releasesafe.db.server import Server

    version_text = ".".join(map(str, spec.version)) if spec.version else None
    if spec.dialect == "postgresql":
        from testcontainers.postgres import PostgresContainer

        container: DbContainer = PostgresContainer(
            POSTGRES_IMAGE.format(version=version_text or DEFAULT_POSTGRES_VERSION),
            username="postgres",
            dbname="postgres",
            driver="psycopg",
        )
        _loopback_only(container, 5432)
    else:
        try:
            from testcontainers.community.mysql import MySqlContainer
        except ImportError:  # testcontainers before the community split
            from testcontainers.mysql import MySqlContainer

        container = MySqlContainer(
            MARIADB_IMAGE.format(version=version_text or DEFAULT_MARIADB_VERSION),
            dialect="pymysql",
            username="root",
            dbname="test",
        )
        _loopback_only(container, 3306)
    container.start()
    try:
        return Server(
            container.get_connection_url(),
            ops_for(spec.dialect),
            owned=_ContainerResource(container),
            description=f"container {container.image}",
        )
    except BaseException:
        container.stop()
        raise
