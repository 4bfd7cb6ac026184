"""Alembic environment of the legacy reporting service, whose history branched and was never merged."""

from alembic import context

context.configure(url=context.config.get_main_option("sqlalchemy.url"))
with context.begin_transaction():
    context.run_migrations()
