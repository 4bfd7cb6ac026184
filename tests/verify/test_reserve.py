"""Databases made ahead and dropped in the background for the lanes (verify.reserve), on a real
PostgreSQL server."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from pytest_releasesafe.verify.reserve import DatabaseReserve


def _existing(server: object) -> set[str]:
    with server.admin_engine().connect() as connection:  # type: ignore[attr-defined]
        return set(connection.execute(sa.text("SELECT datname FROM pg_database")).scalars())


class _Made:
    """The server's create_database as a lane's factory, remembering what it made and in which thread."""

    def __init__(self, server: object) -> None:
        self.server = server
        self.names: list[str] = []
        self.threads: list[str] = []

    def __call__(self, template: str | None) -> object:
        database = self.server.create_database(template, prefix="rs_reserve")  # type: ignore[attr-defined]
        self.names.append(database.name)
        self.threads.append(threading.current_thread().name)
        return database


def test_a_prepared_database_is_made_in_the_background_and_handed_out(postgres: object) -> None:
    made = _Made(postgres)
    reserve = DatabaseReserve(made)
    reserve.prepare()
    database = reserve.new(None)
    try:
        assert made.names == [database.name]  # type: ignore[attr-defined]
        assert made.threads[0].startswith("releasesafe-verify-db")
        assert database.name in _existing(postgres)  # type: ignore[attr-defined]
        # Nothing prepared any more: the next one is made here and now.
        second = reserve.new(None)
        assert made.threads[1] == threading.current_thread().name
        second.drop()  # type: ignore[attr-defined]
    finally:
        database.drop()  # type: ignore[attr-defined]
        reserve.close()


def test_a_prepared_database_nobody_took_is_dropped_at_close(postgres: object) -> None:
    made = _Made(postgres)
    reserve = DatabaseReserve(made)
    reserve.prepare()
    reserve.prepare()  # already under way: not a second one
    reserve.close()
    assert len(made.names) == 1
    assert made.names[0] not in _existing(postgres)


def test_a_clone_is_never_served_from_the_prepared_empty_database(postgres: object) -> None:
    made = _Made(postgres)
    reserve = DatabaseReserve(made)
    source = postgres.create_database(prefix="rs_reserve")  # type: ignore[attr-defined]
    try:
        with source.engine().begin() as connection:
            connection.execute(sa.text("CREATE TABLE kept (id integer)"))
        source.dispose()
        reserve.prepare()
        clone = reserve.new(source.name)
        with clone.engine().connect() as connection:  # type: ignore[attr-defined]
            assert sa.inspect(connection).get_table_names() == ["kept"]
        clone.drop()  # type: ignore[attr-defined]
    finally:
        reserve.close()
        source.drop()
    assert not set(made.names) & _existing(postgres)


def test_a_lane_closed_later_is_closed_by_the_time_close_returns(postgres: object) -> None:
    class Lane:
        def __init__(self) -> None:
            self.database = postgres.create_database(prefix="rs_reserve")  # type: ignore[attr-defined]
            self.thread = ""

        def close(self) -> None:
            self.thread = threading.current_thread().name
            self.database.drop()

    lane = Lane()
    reserve = DatabaseReserve(_Made(postgres))
    reserve.close_later(lane)
    reserve.close()
    assert lane.thread.startswith("releasesafe-verify-db")
    assert lane.database.name not in _existing(postgres)
