-- dialect: mysql
-- target-version: 1011
SET SESSION lock_wait_timeout = 10;
ALTER TABLE `invoices` MODIFY COLUMN `amount` bigint NOT NULL;  -- expect: RS901
ALTER TABLE `invoices` ADD COLUMN `kind` varchar(10) NOT NULL;  -- expect: RS301, RS605
TRUNCATE TABLE `invoice_drafts`;  -- expect: RS520
LOCK TABLES `invoices` WRITE;  -- expect: RS601
DELETE FROM `invoice_lines` WHERE `invoice_id` NOT IN (SELECT `id` FROM `invoices`);  -- expect: RS701
UNLOCK TABLES;
