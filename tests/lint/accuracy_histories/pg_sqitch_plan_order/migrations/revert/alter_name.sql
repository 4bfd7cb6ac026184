-- expect-none
BEGIN;
ALTER TABLE users ALTER COLUMN name TYPE varchar(20);
COMMIT;
