-- dialect: mysql
-- target-version: 84
SET SESSION lock_wait_timeout = 5;
ALTER TABLE `posts` MODIFY `title` varchar(200) NOT NULL, ALGORITHM=COPY;  -- expect: RS901, RS902
ALTER TABLE `users` ADD FULLTEXT INDEX `users_name_ft` (`display_name`), LOCK=SHARED;  -- expect: RS902
ALTER TABLE `posts` CHANGE COLUMN `body` `body` longtext;  -- expect: RS901
