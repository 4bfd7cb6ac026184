"""A fresh, disposable database for one trace, from the project's database provisioning.

The trace seeds rows and runs migrations, so it never runs in a database that already exists: even
given a URL, it creates its own database on that server and drops it afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pytest_releasesafe.verify.trace.runner import TraceSetupError

DATABASE_PREFIX = "trace"


@contextmanager
def trace_database(spec: str) -> Iterator[str]:
    """Yield the URL of a new database on the server `spec` names ("postgresql" or a URL)."""
    from pytest_releasesafe.db import BadDatabaseSetting, DatabaseUnavailable, ServerStartError, get_server

    try:
        server = get_server(spec)
    except DatabaseUnavailable as error:
        raise TraceSetupError(f"no PostgreSQL for the trace: {error.reason}") from None
    except (BadDatabaseSetting, ServerStartError) as error:
        raise TraceSetupError(f"--database {spec}: {error}") from None
    with server:
        if server.dialect != "postgresql":
            raise TraceSetupError(f"--database {spec}: the trace needs PostgreSQL, not {server.product}")
        with server.create_database(prefix=DATABASE_PREFIX) as database:
            yield database.url
