"""Servers we start ourselves from the machine's binaries: private, unprivileged, fast settings."""

import os
import pwd
import signal
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from pytest_releasesafe.db import DatabaseUnavailable, ServerStartError, get_server, postgres_local


def _process_uid(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])
    raise AssertionError(f"no Uid line for {pid}")


def _expected_uid(preferred: str) -> int:
    if os.geteuid() != 0:
        return os.geteuid()
    try:
        return pwd.getpwnam(preferred).pw_uid
    except KeyError:
        return pwd.getpwnam("nobody").pw_uid


def test_own_postgres_is_private_and_unprivileged(own_postgres):
    assert own_postgres.started_here and own_postgres.dialect == "postgresql"
    assert _process_uid(own_postgres.pid) == _expected_uid("postgres") != 0
    with own_postgres.admin_engine().connect() as connection:
        setting = lambda name: connection.execute(text(f"SHOW {name}")).scalar_one()  # noqa: E731
        assert setting("listen_addresses") == ""
        assert setting("fsync") == "off"
        socket_dir = Path(setting("unix_socket_directories"))
        data_dir = Path(setting("data_directory"))
        rules = connection.execute(text("SELECT type FROM pg_hba_file_rules")).scalars().all()
    assert rules == ["local"]
    for directory in (socket_dir, data_dir):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
        assert directory.stat().st_uid == _expected_uid("postgres")
    assert own_postgres.version[0] >= 10


def test_own_postgres_clones_and_drops(own_postgres):
    template = own_postgres.create_database()
    with template.engine().begin() as connection:
        connection.execute(text("CREATE TABLE t (x int)"))
        connection.execute(text("INSERT INTO t VALUES (42)"))
    clone = own_postgres.create_database(template=template)
    with clone.engine().connect() as connection:
        assert connection.execute(text("SELECT x FROM t")).scalar_one() == 42
    clone.drop()
    template.drop()


def test_stop_removes_process_and_directory():
    server = get_server("postgresql")
    pid = server.pid
    with server.admin_engine().connect() as connection:
        run_dir = Path(connection.execute(text("SHOW unix_socket_directories")).scalar_one())
    assert run_dir.is_dir()
    server.stop()
    assert not run_dir.exists()
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split(")")[1][:3]


def test_version_pin_picks_matching_binaries(own_postgres):
    major = own_postgres.version[0]
    server = get_server(f"postgresql:{major}")
    try:
        assert server.version[0] == major
    finally:
        server.stop()


def test_failed_start_shows_the_server_log(monkeypatch):
    monkeypatch.setitem(postgres_local.SERVER_SETTINGS, "shared_buffers", "plenty")
    if not postgres_local.local_binaries():
        pytest.skip("no local PostgreSQL binaries")
    with pytest.raises(ServerStartError) as caught:
        get_server("postgresql")
    message = str(caught.value)
    assert "exited with code" in message
    assert 'invalid value for parameter "shared_buffers": "plenty"' in message
    assert "last lines of" in message


def test_own_mariadb_is_private_and_unprivileged(own_mysql):
    assert own_mysql.started_here
    assert _process_uid(own_mysql.pid) == _expected_uid("mysql") != 0
    with own_mysql.admin_engine().connect() as connection:
        assert connection.execute(text("SELECT @@skip_networking")).scalar_one() == 1
        data_dir = Path(connection.execute(text("SELECT @@datadir")).scalar_one())
    assert stat.S_IMODE(data_dir.parent.stat().st_mode) == 0o700
    database = own_mysql.create_database()
    with database.engine().begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    clone = own_mysql.create_database(template=database)
    with clone.engine().connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM t")).scalar_one() == 0
    clone.drop()
    database.drop()


def test_binary_that_cannot_run_is_a_clear_start_error(tmp_path):
    from pytest_releasesafe.db import janitor
    from pytest_releasesafe.db.process import ServerProcess

    missing = tmp_path / "no-such-postgres"
    records_before = set(janitor._records().glob("*.json"))
    with pytest.raises(ServerStartError, match=f"cannot run {missing}: .*No such file"):
        ServerProcess("postgresql", [str(missing)], tmp_path, None, stop_signal=signal.SIGINT)
    assert set(janitor._records().glob("*.json")) <= records_before  # nothing to reap later


@pytest.mark.skipif(os.geteuid() != 0, reason="the server account is chosen only when running as root")
def test_missing_server_account_is_unavailable_with_the_fix(monkeypatch):
    if not postgres_local.local_binaries():
        pytest.skip("no local PostgreSQL binaries")
    monkeypatch.setenv("RELEASESAFE_SERVER_USER", "no-such-account-here")
    with pytest.raises(DatabaseUnavailable) as caught:
        get_server("postgresql")
    assert "tried no-such-account-here" in caught.value.reason
    assert "RELEASESAFE_SERVER_USER" in caught.value.reason
