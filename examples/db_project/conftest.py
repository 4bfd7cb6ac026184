from pytest_releasesafe.db import factories

# A second server beside the configured one, to show both in one run.
sqlite_server = factories.server_fixture("sqlite")
sqlite_migrated = factories.database_fixture("sqlite_server", migrated=True)
