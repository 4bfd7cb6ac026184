-- dialect: mysql
-- target-version: 84
SET SESSION lock_wait_timeout = 5;
ALTER TABLE `events` DROP PARTITION `p2019`;
ALTER TABLE `events` ADD PARTITION (PARTITION `p2025` VALUES LESS THAN (2026));
ALTER TABLE `events` DROP FOREIGN KEY `events_user_id_foreign`;  -- expect: RS207
ALTER TABLE `events` DROP COLUMN `legacy`;  -- expect: RS511, RS605
