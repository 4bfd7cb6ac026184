-- dialect: mysql
-- target-version: 84
SET SESSION lock_wait_timeout = 5;
ALTER TABLE `comments` ADD CONSTRAINT `comments_post_id_foreign` FOREIGN KEY (`post_id`) REFERENCES `articles` (`id`);  -- expect: RS201
SET foreign_key_checks = 0;
ALTER TABLE `comments` ADD CONSTRAINT `comments_user_id_foreign` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`);
SET foreign_key_checks = 1;
ALTER TABLE `comments` DROP FOREIGN KEY `comments_legacy_foreign`;  -- expect: RS207
