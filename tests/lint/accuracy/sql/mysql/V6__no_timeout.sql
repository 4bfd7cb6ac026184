-- dialect: mysql
-- target-version: 84
ALTER TABLE `users` ADD COLUMN `locale` varchar(10) NOT NULL;  -- expect: RS301, RS602
UPDATE `users` SET `locale` = 'en';  -- expect: RS701
