-- dialect: mysql
-- target-version: 57
SET SESSION lock_wait_timeout = 10;
ALTER TABLE `users` ADD COLUMN `bio` text;  -- expect: RS903
