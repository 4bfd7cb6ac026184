CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_plan_idx ON accounts (plan);
ALTER TABLE accounts ADD COLUMN last_login_at timestamptz;  -- expect: RS602
