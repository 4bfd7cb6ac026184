-- dialect: mysql
-- target-version: 84
SET SESSION lock_wait_timeout = 5;
ALTER TABLE `posts` RENAME COLUMN `title` TO `headline`;  -- expect: RS501
RENAME TABLE `posts` TO `articles`;  -- expect: RS502
ALTER TABLE `users` DROP COLUMN `display_name`;  -- expect: RS511
DROP TABLE IF EXISTS `legacy_sessions`;  -- expect: RS512
