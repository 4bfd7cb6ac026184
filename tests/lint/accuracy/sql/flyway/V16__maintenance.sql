SET lock_timeout = '5s';
VACUUM FULL products;  -- expect: RS405
CLUSTER products USING products_sku_key;  -- expect: RS406
REINDEX TABLE order_items;  -- expect: RS104
REINDEX INDEX CONCURRENTLY products_sku_key;
ALTER TABLE products SET TABLESPACE fast_ssd;  -- expect: RS403
ALTER TABLE order_items SET UNLOGGED;  -- expect: RS404
