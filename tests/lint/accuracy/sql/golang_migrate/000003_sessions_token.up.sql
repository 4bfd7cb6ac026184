SET lock_timeout = '2s';
ALTER TABLE sessions ADD COLUMN token_hash bytea NOT NULL;  -- expect: RS301
ALTER TABLE sessions ADD CONSTRAINT sessions_token_hash_key UNIQUE (token_hash);  -- expect: RS105, RS204, RS605
