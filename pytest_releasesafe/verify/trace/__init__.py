"""Runtime lock trace: run an Alembic upgrade on a real PostgreSQL database holding seeded rows and
record, statement by statement, the locks taken, the relations rewritten and what they block.

Entry points: `runner.trace_migrations` (library), `cli.trace` (`releasesafe trace`),
`pytest_plugin` (one pytest item per revision), `compare.disagreements` (lint vs. trace).
"""
