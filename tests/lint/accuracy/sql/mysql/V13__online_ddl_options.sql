-- dialect: mysql
-- target-version: 84
-- expect-none: online DDL stated explicitly; the server refuses rather than copy.
SET SESSION lock_wait_timeout = 5;
ALTER TABLE `posts` ADD INDEX `posts_slug_index` (`slug`), ALGORITHM=INPLACE, LOCK=NONE;
ALTER TABLE `comments` MODIFY `body` text NOT NULL, ALGORITHM=INPLACE, LOCK=NONE;
ALTER TABLE `users` ADD COLUMN `nickname` varchar(50) NULL, ALGORITHM=INSTANT;
