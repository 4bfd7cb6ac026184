-- expect-none
ALTER TABLE accounts DROP COLUMN IF EXISTS last_login_at;
DROP INDEX CONCURRENTLY IF EXISTS accounts_plan_idx;
