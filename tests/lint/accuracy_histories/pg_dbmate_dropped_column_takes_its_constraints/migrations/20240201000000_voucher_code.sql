-- migrate:up transaction:false
SET lock_timeout = '5s';
ALTER TABLE vouchers ADD COLUMN code text;
CREATE UNIQUE INDEX CONCURRENTLY vouchers_code_idx ON vouchers (code);  -- expect: RS105
ALTER TABLE vouchers ADD CONSTRAINT vouchers_code_key UNIQUE USING INDEX vouchers_code_idx;
SELECT 1;
ALTER TABLE vouchers ADD COLUMN batch text;  -- expect: RS605
CREATE INDEX CONCURRENTLY vouchers_batch_idx ON vouchers (batch);

-- migrate:down
-- Dropping the columns drops the indexes and the constraint on them: everything is undone.
ALTER TABLE vouchers DROP COLUMN code;
ALTER TABLE vouchers DROP COLUMN batch;
