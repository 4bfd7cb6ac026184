-- dialect: mysql
-- target-version: 1011
SET SESSION lock_wait_timeout = 5;
ALTER TABLE `orders` ADD CONSTRAINT `orders_total_positive` CHECK (`total` >= 0);  -- expect: RS949
ALTER TABLE `orders` ADD COLUMN `public_id` varchar(36) DEFAULT (UUID());  -- expect: RS605, RS947
ALTER TABLE `orders` ADD COLUMN `created_on` date DEFAULT (CURDATE());
ALTER TABLE `orders` ADD COLUMN `total_cents` bigint DEFAULT (`total` * 100);  -- expect: RS947
DROP INDEX `orders_user_idx` ON `orders` ALGORITHM=COPY;  -- expect: RS948
ALTER TABLE `orders` DROP INDEX `orders_state_idx`, ALGORITHM=INPLACE, LOCK=NONE;
ALTER TABLE `orders` ADD COLUMN `qty` int CHECK (`qty` > 0);  -- expect: RS949
