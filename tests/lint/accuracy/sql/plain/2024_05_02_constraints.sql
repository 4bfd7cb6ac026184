SET lock_timeout = '3s';
ALTER TABLE orders ADD COLUMN customer_id bigint REFERENCES customers (id);
ALTER TABLE legacy_orders ADD CONSTRAINT legacy_orders_pkey PRIMARY KEY (id);  -- expect: RS105, RS205
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&);  -- expect: RS206
ALTER TABLE orders ADD COLUMN discount integer DEFAULT 0 NOT NULL, ADD CONSTRAINT orders_discount_range CHECK (discount BETWEEN 0 AND 100);  -- expect: RS202
ALTER TABLE bookings DROP CONSTRAINT bookings_room_id_key;  -- expect: RS207
ALTER TABLE bookings DROP CONSTRAINT bookings_price_check;  -- expect: RS605
