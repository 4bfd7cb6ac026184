-- Diesel's down.sql is a downgrade, never judged as a forward migration.
-- expect-none
DROP TABLE users;
