-- dialect: mysql
-- target-version: 1011
-- expect-none: MariaDB 10.11 adds nullable and defaulted columns instantly.
SET SESSION lock_wait_timeout = 10;
ALTER TABLE `users` ADD COLUMN `timezone` varchar(64) NOT NULL DEFAULT 'UTC', ADD COLUMN `avatar_url` varchar(255) NULL;
