"""Migration verification: prove an Alembic history upgrades, downgrades without a trace, keeps data
and matches the models, on a real database, as pytest items."""
