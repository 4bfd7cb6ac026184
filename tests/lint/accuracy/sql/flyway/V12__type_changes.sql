SET lock_timeout = '5s';
ALTER TABLE products ALTER COLUMN sku TYPE varchar(64);
ALTER TABLE products ALTER COLUMN name TYPE text;  -- expect: RS605
ALTER TABLE order_items ALTER COLUMN quantity TYPE bigint;  -- expect: RS401
ALTER TABLE order_items ALTER COLUMN order_id TYPE integer USING order_id::integer;  -- expect: RS401, RS605
