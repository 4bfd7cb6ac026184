-- goose runs the Up step in a transaction: the file's own BEGIN/COMMIT ends it early.
-- +goose Up
SET LOCAL lock_timeout = '2s';
BEGIN;  -- expect: RS699
ALTER TABLE audit_log ADD COLUMN ip inet;
COMMIT;

-- +goose Down
ALTER TABLE audit_log DROP COLUMN ip;
