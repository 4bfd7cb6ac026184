-- Sorted by name this change would run before `users`; sqitch.plan says after, so the type is known.
BEGIN;
SET LOCAL lock_timeout = '5s';
ALTER TABLE users ALTER COLUMN name TYPE varchar(10);  -- expect: RS401
COMMIT;
