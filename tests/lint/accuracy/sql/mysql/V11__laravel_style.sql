-- dialect: mysql
-- target-version: 84
-- Laravel-style schema dump of one migration.
set session lock_wait_timeout = 3;
alter table `orders` add `coupon_code` varchar(32) null;
alter table `orders` add index `orders_coupon_code_index`(`coupon_code`);
alter table `orders` add constraint `orders_user_id_foreign` foreign key (`user_id`) references `users` (`id`) on delete cascade;  -- expect: RS201
alter table `orders` modify `status` varchar(40) not null default 'pending';  -- expect: RS605, RS901
alter table `orders` change `total` `grand_total` decimal(10, 2) not null;  -- expect: RS501
