-- Deploy app:teams_slug to pg
-- requires: teams

BEGIN;
SET LOCAL lock_timeout = '3s';
ALTER TABLE app.teams ADD COLUMN slug text;
UPDATE app.teams SET slug = lower(replace(name, ' ', '-'));  -- expect: RS603, RS702
CREATE UNIQUE INDEX CONCURRENTLY teams_slug_key ON app.teams (slug);  -- expect: RS102, RS105
COMMIT;
