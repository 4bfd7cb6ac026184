-- dialect: mysql
-- target-version: 80
SET SESSION lock_wait_timeout = 5;
ALTER TABLE `users` ADD COLUMN `middle_name` varchar(100) NULL AFTER `display_name`;  -- expect: RS903
ALTER TABLE `users` DROP COLUMN `legacy_flag`;  -- expect: RS511, RS605, RS903
