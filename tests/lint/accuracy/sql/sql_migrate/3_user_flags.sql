-- +migrate Up notransaction
SET lock_timeout = '4s';
CREATE INDEX CONCURRENTLY user_flags_user_id_idx ON user_flags (user_id);
ALTER TABLE user_flags ALTER COLUMN flag SET DATA TYPE varchar(100);
ALTER TABLE user_flags RENAME COLUMN flag TO flag_name;  -- expect: RS501

-- +migrate Down
ALTER TABLE user_flags RENAME COLUMN flag_name TO flag;
DROP INDEX CONCURRENTLY user_flags_user_id_idx;
DROP TABLE user_flags_backup;
