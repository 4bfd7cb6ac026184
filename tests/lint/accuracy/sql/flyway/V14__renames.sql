SET lock_timeout = '5s';
ALTER TABLE products RENAME COLUMN sku TO stock_keeping_unit;  -- expect: RS501
ALTER TABLE order_items RENAME TO line_items;  -- expect: RS502
ALTER INDEX products_name_idx RENAME TO products_lower_name_idx;  -- expect: RS503
ALTER TYPE product_state RENAME VALUE 'retired' TO 'archived';  -- expect: RS504
ALTER TABLE line_items RENAME CONSTRAINT order_items_order_product_key TO line_items_order_product_key;  -- expect: RS503
