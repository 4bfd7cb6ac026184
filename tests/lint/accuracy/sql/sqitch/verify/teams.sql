-- Verify app:teams on pg
-- expect-none

BEGIN;
SELECT id, name, owner FROM app.teams WHERE FALSE;
ROLLBACK;
