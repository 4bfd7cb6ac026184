-- dialect: mysql
-- target-version: 84
SET SESSION lock_wait_timeout = 5;
ALTER TABLE `posts` ADD CHECK (`score` >= 0);  -- expect: RS949
DROP INDEX `posts_slug_index` ON `posts` LOCK=SHARED;  -- expect: RS948
ALTER TABLE `posts` ADD COLUMN `uid` binary(16) DEFAULT (UUID_TO_BIN(UUID()));  -- expect: RS947
