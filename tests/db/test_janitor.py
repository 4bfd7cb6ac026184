"""After a session is SIGKILLed, the next run stops what it left and removes its directories."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pytest_releasesafe.db import janitor

# Started from a thread, the server gets no parent-death signal: it outlives the killed
# session, exactly the case the janitor exists for.
ORPHAN_MAKER = textwrap.dedent(
    """
    import json, os, signal, sys, threading
    from pytest_releasesafe.db import get_server

    result = {}
    def start():
        server = get_server(sys.argv[1])
        result.update(pid=server.pid, run_dir=str(server._owned.run_dir))
    thread = threading.Thread(target=start)
    thread.start()
    thread.join()
    print(json.dumps(result), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def _alive(pid: int) -> bool:
    return janitor.start_time(pid) is not None


@pytest.mark.parametrize("setting", ["postgresql", "mysql"])
def test_next_run_reaps_servers_of_a_killed_session(setting):
    from pytest_releasesafe.db.provision import plan
    from pytest_releasesafe.db.spec import parse_spec

    if next(plan(parse_spec(setting))).start is None:
        pytest.skip(f"no local binaries for {setting}")
    run = subprocess.run([sys.executable, "-c", ORPHAN_MAKER, setting], capture_output=True, text=True)
    assert run.returncode == -signal.SIGKILL, run.stderr
    left = json.loads(run.stdout)
    assert _alive(left["pid"]) and Path(left["run_dir"]).is_dir()
    cleaned = janitor.reap_orphans()
    assert any(str(left["pid"]) in entry for entry in cleaned)
    assert not _alive(left["pid"])
    assert not Path(left["run_dir"]).exists()
    assert not list(janitor._records().glob(f"*-{left['pid']}.json"))


def test_janitor_leaves_servers_of_live_sessions_alone(own_postgres):
    assert own_postgres.pid is not None
    janitor.reap_orphans()
    assert _alive(own_postgres.pid)


def test_killed_pytest_session_leaves_nothing_after_next_run(db_example):
    report = db_example.path / "left.json"
    db_example.makepyfile(
        test_killed=f"""
        import json, os, signal
        from sqlalchemy import text

        def test_dies(releasesafe_server):
            with releasesafe_server.admin_engine().connect() as connection:
                run_dir = connection.execute(text("SHOW unix_socket_directories")).scalar_one()
            with open({str(report)!r}, "w") as handle:
                json.dump({{"pid": releasesafe_server.pid, "run_dir": run_dir}}, handle)
            os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    killed = db_example.runpytest_subprocess(
        "-p", "no:cacheprovider", "--releasesafe-database=postgresql", "test_killed.py"
    )
    if killed.ret == 0 and "skipped" in killed.stdout.str():
        pytest.skip("no PostgreSQL server here")
    left = json.loads(report.read_text())
    deadline = time.monotonic() + 5
    while _alive(left["pid"]) and time.monotonic() < deadline:
        time.sleep(0.05)  # the parent-death signal is asynchronous
    next_run = db_example.runpytest_subprocess(
        "-p", "no:cacheprovider", "--releasesafe-database=postgresql", "tests/test_shop.py"
    )
    next_run.assert_outcomes(passed=4)
    assert not _alive(left["pid"])
    assert not Path(left["run_dir"]).exists()
    assert os.path.isdir(janitor._records())


DATABASE_LEAVER = textwrap.dedent(
    """
    import os, signal, sys
    from pytest_releasesafe.db import get_server

    server = get_server(sys.argv[1])
    print(server.create_database(prefix="releasesafe_dbtest").name, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


@pytest.mark.parametrize("server_fixture", ["postgres_by_url", "mysql_by_url"])
def test_databases_left_on_a_url_server_are_dropped_on_next_connect(request, server_fixture):
    from sqlalchemy import text

    from pytest_releasesafe.db.provision import connect_url

    server = request.getfixturevalue(server_fixture)
    run = subprocess.run([sys.executable, "-c", DATABASE_LEAVER, server.url], capture_output=True, text=True)
    assert run.returncode == -signal.SIGKILL, run.stderr
    name = run.stdout.strip()
    query = {
        "postgresql": "SELECT count(*) FROM pg_database WHERE datname = :name",
        "mysql": "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = :name",
    }[server.dialect]

    def exists() -> bool:
        with server.admin_engine().connect() as connection:
            return connection.execute(text(query), {"name": name}).scalar_one() == 1

    assert exists()
    next_run = connect_url(server.url)
    try:
        assert not exists()
        assert not list(janitor._database_records().glob(f"*-{name}.*"))
    finally:
        next_run.stop()
