DROP DATABASE IF EXISTS analytics_scratch;  -- expect: RS514
DROP DOMAIN IF EXISTS positive_int;  -- expect: RS515
DROP PROCEDURE IF EXISTS archive_orders();  -- expect: RS516
ALTER TABLE IF EXISTS orders DROP COLUMN IF EXISTS legacy_total;  -- expect: RS511, RS602
ALTER TABLE orders SET LOGGED;  -- expect: RS404
