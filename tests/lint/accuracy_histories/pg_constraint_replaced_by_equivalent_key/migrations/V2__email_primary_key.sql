SET lock_timeout = '5s';
-- A primary key on the same column takes over from the unique constraint: nothing is lost.
ALTER TABLE users DROP CONSTRAINT users_email_key, ADD CONSTRAINT users_pkey PRIMARY KEY (email);  -- expect: RS205
SELECT 1;
-- Dropped with nothing in its place.
ALTER TABLE users DROP CONSTRAINT users_name_key;  -- expect: RS207, RS605
SELECT 1;
-- The catalogue knows this is a CHECK, whatever its name says: old code does not rely on it.
ALTER TABLE users DROP CONSTRAINT positive_age;
