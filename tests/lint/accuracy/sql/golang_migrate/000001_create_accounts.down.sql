-- expect-none: a down migration is not an upgrade.
DROP TABLE IF EXISTS sessions;
DROP TABLE IF EXISTS accounts;
