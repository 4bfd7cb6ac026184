SET lock_timeout = '5s';
CREATE TABLE order_totals (order_id bigint PRIMARY KEY, total numeric(12, 2), note text);
-- The table was created a few lines up: filling it touches no live row.
INSERT INTO order_totals (order_id, total) SELECT id, total FROM orders;
UPDATE order_totals SET note = 'migrated';
-- orders was created by an earlier (released) migration: a whole-table UPDATE on live rows.
UPDATE orders SET total = 0;  -- expect: RS701
