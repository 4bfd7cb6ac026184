-- dialect: mysql
-- target-version: 84
SET SESSION lock_wait_timeout = 5;
ALTER TABLE `posts` ADD COLUMN `published_at` datetime NULL, ALGORITHM=INSTANT;
ALTER TABLE `posts` ADD INDEX `posts_published_at_index` (`published_at`), ALGORITHM=INPLACE, LOCK=NONE;
ALTER TABLE `users` MODIFY COLUMN `display_name` varchar(150) DEFAULT NULL;  -- expect: RS901
