-- +migrate Up
CREATE INDEX CONCURRENTLY user_flags_created_idx ON user_flags (created_at);  -- expect: RS102

-- +migrate Down
DROP INDEX user_flags_created_idx;
