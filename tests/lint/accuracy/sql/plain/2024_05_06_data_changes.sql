-- Data fixes, no DDL.
MERGE INTO stock s USING incoming i ON s.sku = i.sku  -- expect: RS701
WHEN MATCHED THEN UPDATE SET qty = s.qty + i.qty
WHEN NOT MATCHED THEN INSERT (sku, qty) VALUES (i.sku, i.qty);
UPDATE orders o SET customer_name = c.name FROM customers c WHERE c.id = o.customer_id;  -- expect: RS701
WITH moved AS (DELETE FROM sessions WHERE expires_at < now() RETURNING *)  -- expect: RS701
INSERT INTO sessions_archive SELECT * FROM moved;
INSERT INTO feature_flags (name, enabled) VALUES ('new_checkout', false) ON CONFLICT (name) DO NOTHING;
SELECT setval('orders_id_seq', (SELECT max(id) FROM orders));
