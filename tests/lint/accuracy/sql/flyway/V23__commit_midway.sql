-- in-transaction: true
-- Flyway wraps the script in a transaction: the COMMIT below ends it halfway.
SET LOCAL lock_timeout = '2s';
ALTER TABLE invoices ADD COLUMN paid_at timestamptz;
COMMIT;  -- expect: RS699
UPDATE invoices SET paid_at = updated_at WHERE id < 1000 AND paid_at IS NULL;  -- expect: RS701
