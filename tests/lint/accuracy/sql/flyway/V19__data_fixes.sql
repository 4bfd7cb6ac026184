-- Data fixes shipped with the release.
UPDATE products SET name = trim(name);  -- expect: RS701
DELETE FROM order_items WHERE quantity = 0;  -- expect: RS701
INSERT INTO product_archive (id, sku) SELECT id, sku FROM products WHERE state = 'retired';  -- expect: RS701
INSERT INTO settings (key, value) VALUES ('catalog.version', '19');
UPDATE products SET state = 'live' WHERE id IN (SELECT id FROM products WHERE state = 'draft' LIMIT 1000);
