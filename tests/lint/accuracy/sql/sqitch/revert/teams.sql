-- Revert app:teams from pg
-- expect-none: a revert script is a downgrade.

BEGIN;
DROP TABLE app.teams;
COMMIT;
