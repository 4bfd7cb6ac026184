-- The unique-constraint recipe, the index built first without blocking writes.
SET lock_timeout = '2s';
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS sessions_token_hash_idx ON sessions (token_hash);  -- expect: RS105
ALTER TABLE sessions ADD CONSTRAINT sessions_token_hash_key UNIQUE USING INDEX sessions_token_hash_idx;
